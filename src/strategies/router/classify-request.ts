// The router's cheap first pass: a few certain cases are decided without a model; everything
// else is one small classification run (no tools, a tiny budget) whose JSON answer is
// validated, with one repair run when it is not valid. Each run is stored like any other, so
// the classification is part of the trajectory.
import type { RunEnvironmentOptions } from "../../library/start-run.js";
import { startRun } from "../../library/start-run.js";
import type { ModelClient } from "../../models/model-client.js";
import type { RunStore } from "../../store/run-store.js";
import { classificationPrompt, classifierInstructions, parseClassification, repairPrompt, type RequestClass } from "./request-class.js";

export type ClassificationSource = "heuristic" | "model" | "fallback";

export type RequestClassification = {
  requestClass: RequestClass;
  reason: string;
  source: ClassificationSource;
  /** The classification runs (the first, and the repair when there was one). */
  runIds: string[];
};

export type ClassifyOptions = Pick<RunEnvironmentOptions, "env" | "home" | "configPath" | "cwd" | "signal"> & {
  model: ModelClient;
  store: RunStore;
  /** Attached images or files: the request needs tools to read them, whatever its words say. */
  attachments?: number;
  /** The run the classification serves: its runs are that run's children, not runs of their own in the list. */
  parentId?: string;
};

/** A classification turn needs no tools and little room; two steps so no forced-final prompt is added. */
const classifierBudget = { maxSteps: 2, maxToolCalls: 0, maxTotalTokens: 8_000, timeoutMs: 60_000 };

export async function classifyRequest(question: string, options: ClassifyOptions): Promise<RequestClassification> {
  if ((options.attachments ?? 0) > 0) {
    return {
      requestClass: "needs_tools",
      reason: `${options.attachments} attached file(s) must be read with tools`,
      source: "heuristic",
      runIds: [],
    };
  }
  const first = await classificationRun(classificationPrompt(question), options, "classify");
  if (first.failed) {
    // A provider that fails here fails the real run too, which says why; a repair would only fail again.
    return {
      requestClass: "needs_tools",
      reason: `the classification run failed (${first.answer}); using the usual effort`,
      source: "fallback",
      runIds: [first.runId],
    };
  }
  const parsed = parseClassification(first.answer);
  if (parsed.ok) return { requestClass: parsed.value.class, reason: parsed.value.reason, source: "model", runIds: [first.runId] };
  const repair = await classificationRun(repairPrompt(question, first.answer, parsed.problem), options, "repair");
  const repaired = parseClassification(repair.answer);
  if (repaired.ok)
    return { requestClass: repaired.value.class, reason: repaired.value.reason, source: "model", runIds: [first.runId, repair.runId] };
  // Medium effort, one run: what Ponder does when nobody chose, so a confused classifier changes nothing.
  return {
    requestClass: "needs_tools",
    reason: `the classifier gave no valid answer twice (${repaired.problem}); using the usual effort`,
    source: "fallback",
    runIds: [first.runId, repair.runId],
  };
}

async function classificationRun(
  input: string,
  options: ClassifyOptions,
  attempt: "classify" | "repair",
): Promise<{ runId: string; answer: string; failed: boolean }> {
  const handle = await startRun(input, {
    model: options.model,
    store: options.store,
    env: options.env,
    home: options.home,
    configPath: options.configPath,
    cwd: options.cwd,
    signal: options.signal,
    tools: [],
    instructions: classifierInstructions,
    effort: "minimal",
    budget: classifierBudget,
    stream: false,
    ...(options.parentId ? { parentId: options.parentId } : {}),
    metadata: { role: "router", attempt },
  });
  const record = await handle.result;
  if (record.status === "completed") return { runId: record.id, answer: record.result?.answer ?? "", failed: false };
  return { runId: record.id, answer: `the run ${record.status}: ${record.error?.message ?? "no answer"}`, failed: true };
}
