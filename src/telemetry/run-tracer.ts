// Turns a run's event stream into GenAI spans: one `invoke_agent` per run, a `chat` per model
// turn and an `execute_tool {name}` per tool call, both nested under the run's span. Spans are
// opened and closed as the events arrive, so their times are the real times of the work.
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from "@opentelemetry/api";
import type { Usage } from "../core/budget.js";
import type { RunEvent } from "../core/events.js";
import type { FunctionCallOutputItem } from "../core/items.js";
import type { RunError, RunStatus } from "../core/run.js";
import { agentName, genAi, ponder, providerAndModel, spanNames } from "./gen-ai-attributes.js";
import type { Telemetry } from "./telemetry.js";

export type TraceRunOptions = {
  /** The run's parent (a strategy run or an eval); events do not carry it. */
  parentRunId?: string;
};

type OpenTurn = { span: Span; usageAtStart: Usage | undefined };

type RunSpans = {
  run: Span;
  model: string;
  provider: string | undefined;
  usage: Usage | undefined;
  turn: OpenTurn | undefined;
  tools: Map<string, Span>;
};

// A run that stops without finishing (waiting for approval, or handed back to the queue) emits
// no run-finished; its span ends here and a resume opens a new one.
const pausedStatuses: ReadonlySet<RunStatus> = new Set(["awaiting_approval", "queued"]);

/** An event listener that records the runs it sees as spans; pass it as `onEvent`. */
export function traceRunEvents(telemetry: Telemetry, options: TraceRunOptions = {}): (event: RunEvent) => void {
  const runs = new Map<string, RunSpans>();
  return (event) => {
    // A tracing failure must never break the run it observes.
    try {
      handle(event);
    } catch {
      return;
    }
  };

  function handle(event: RunEvent): void {
    if (event.type === "run-started") {
      runs.set(event.runId, startRun(telemetry, event.runId, event.model, event.resumed, options.parentRunId));
      return;
    }
    const spans = runs.get(event.runId);
    if (!spans) return;
    switch (event.type) {
      case "step-started":
        endTurn(spans);
        spans.turn = startTurn(telemetry, spans, event.step, event.final);
        break;
      case "usage-updated":
        spans.usage = event.usage;
        break;
      case "step-finished":
        endTurn(spans);
        break;
      case "tool-call-started":
        spans.tools.set(event.call.call_id, startTool(telemetry, spans, event.call.name, event.call.call_id));
        break;
      case "tool-call-finished":
        endTool(spans, event.call.call_id, event.output);
        break;
      case "status-changed":
        if (pausedStatuses.has(event.status)) finishRun(event.runId, spans, event.status);
        break;
      case "run-finished":
        finishRun(event.runId, spans, event.status, event.error);
        break;
      default:
        break;
    }
  }

  function finishRun(runId: string, spans: RunSpans, status: RunStatus, error?: RunError): void {
    endRun(spans, status, error);
    runs.delete(runId);
    telemetry.runEnded(runId, spans.run);
  }
}

function startRun(telemetry: Telemetry, runId: string, modelId: string, resumed: boolean, parentRunId: string | undefined): RunSpans {
  const { provider, model } = providerAndModel(modelId);
  const attributes: Attributes = {
    [genAi.operationName]: "invoke_agent",
    [genAi.agentName]: agentName,
    [genAi.requestModel]: model,
    ...(provider ? { [genAi.providerName]: provider } : {}),
    [ponder.runId]: runId,
    [ponder.runResumed]: resumed,
    ...(parentRunId ? { [ponder.parentRunId]: parentRunId } : {}),
  };
  // Nest under the parent only while its span is open here; otherwise the attribute links them.
  const parent = parentRunId ? telemetry.liveRunSpan(parentRunId) : undefined;
  const parentContext = parent ? trace.setSpan(context.active(), parent) : context.active();
  const run = telemetry.tracer.startSpan(spanNames.invokeAgent, { kind: SpanKind.INTERNAL, attributes }, parentContext);
  telemetry.runStarted(runId, run);
  return { run, model, provider, usage: undefined, turn: undefined, tools: new Map() };
}

function childContext(spans: RunSpans) {
  return trace.setSpan(context.active(), spans.run);
}

function startTurn(telemetry: Telemetry, spans: RunSpans, step: number, final: boolean): OpenTurn {
  const attributes: Attributes = {
    [genAi.operationName]: "chat",
    [genAi.requestModel]: spans.model,
    ...(spans.provider ? { [genAi.providerName]: spans.provider } : {}),
    [ponder.step]: step,
    [ponder.finalStep]: final,
  };
  const span = telemetry.tracer.startSpan(spanNames.chat, { kind: SpanKind.CLIENT, attributes }, childContext(spans));
  return { span, usageAtStart: spans.usage };
}

/** Usage events carry the run's running total; a turn's own tokens are the difference. */
function endTurn(spans: RunSpans, error?: RunError): void {
  const turn = spans.turn;
  if (!turn) return;
  spans.turn = undefined;
  if (spans.usage && spans.usage !== turn.usageAtStart) {
    const before = turn.usageAtStart;
    turn.span.setAttributes({
      [genAi.inputTokens]: spans.usage.inputTokens - (before?.inputTokens ?? 0),
      [genAi.outputTokens]: spans.usage.outputTokens - (before?.outputTokens ?? 0),
      [ponder.reasoningTokens]: spans.usage.reasoningTokens - (before?.reasoningTokens ?? 0),
    });
  }
  if (error) markFailed(turn.span, error.code, error.message);
  turn.span.end();
}

function startTool(telemetry: Telemetry, spans: RunSpans, name: string, callId: string): Span {
  const attributes: Attributes = {
    [genAi.operationName]: "execute_tool",
    [genAi.toolName]: name,
    [genAi.toolType]: "function",
    [genAi.toolCallId]: callId,
  };
  return telemetry.tracer.startSpan(spanNames.executeTool(name), { kind: SpanKind.INTERNAL, attributes }, childContext(spans));
}

function endTool(spans: RunSpans, callId: string, output: FunctionCallOutputItem): void {
  const span = spans.tools.get(callId);
  if (!span) return;
  spans.tools.delete(callId);
  if (output.error_kind) markFailed(span, output.error_kind, typeof output.output === "string" ? output.output : undefined);
  span.end();
}

function endRun(spans: RunSpans, status: RunStatus, error?: RunError): void {
  endTurn(spans, status === "failed" ? error : undefined);
  // Calls still open when the run stops were cut short by it.
  for (const span of spans.tools.values()) {
    markFailed(span, status === "failed" ? (error?.code ?? "run_failed") : status);
    span.end();
  }
  spans.tools.clear();
  spans.run.setAttribute(ponder.runStatus, status);
  if (spans.usage) {
    spans.run.setAttributes({
      [genAi.inputTokens]: spans.usage.inputTokens,
      [genAi.outputTokens]: spans.usage.outputTokens,
      [ponder.reasoningTokens]: spans.usage.reasoningTokens,
      ...(spans.usage.costKnown ? { [ponder.costUsd]: spans.usage.costUsd } : {}),
    });
  }
  if (status === "failed") markFailed(spans.run, error?.code ?? "run_failed", error?.message);
  spans.run.end();
}

function markFailed(span: Span, errorType: string, message?: string): void {
  span.setAttribute(genAi.errorType, errorType);
  span.setStatus({ code: SpanStatusCode.ERROR, ...(message ? { message } : {}) });
}
