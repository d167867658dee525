// An eval score as the conventions' `gen_ai.evaluation.result` event. The run's span has usually
// ended by the time a scorer answers, and an ended span takes no more events, so the event goes
// on a short `evaluate` span that is a child of the run's span (or a root span carrying the run
// id when the run was traced by another process).
import { context, trace, SpanKind, SpanStatusCode, type Attributes } from "@opentelemetry/api";
import { genAi, ponder, spanNames } from "./gen-ai-attributes.js";
import type { Telemetry } from "./telemetry.js";

export type EvaluationResult = {
  runId: string;
  /** The scorer's name, e.g. `exact-match`. */
  scorer: string;
  label: "pass" | "fail" | "error";
  score?: number;
  /** The scorer's reason, or what went wrong when the label is `error`. */
  explanation?: string;
};

export function recordEvaluationResult(telemetry: Telemetry, result: EvaluationResult): void {
  try {
    const runContext = telemetry.runSpanContext(result.runId);
    const parentContext = runContext ? trace.setSpanContext(context.active(), runContext) : context.active();
    const span = telemetry.tracer.startSpan(
      `evaluate ${result.scorer}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: { [genAi.operationName]: "evaluate", [genAi.evaluationName]: result.scorer, [ponder.runId]: result.runId },
      },
      parentContext,
    );
    const attributes: Attributes = {
      [genAi.evaluationName]: result.scorer,
      [genAi.evaluationScoreLabel]: result.label,
      ...(result.score === undefined ? {} : { [genAi.evaluationScoreValue]: result.score }),
      ...(result.explanation ? { [genAi.evaluationExplanation]: result.explanation } : {}),
    };
    span.addEvent(spanNames.evaluationEvent, attributes);
    // A scorer that could not score is an error of the evaluation, not a failed answer.
    if (result.label === "error") {
      span.setAttribute(genAi.errorType, "scorer_error");
      span.setStatus({ code: SpanStatusCode.ERROR, ...(result.explanation ? { message: result.explanation } : {}) });
    }
    span.end();
  } catch {
    // Telemetry must never fail an eval.
    return;
  }
}
