import type { StoredItem } from "../store/run-store.js";
import type { RunRecord, StepUsage } from "../core/run.js";
import { runSummaryJson } from "../library/run-summary.js";

/** A run as the runs API shows it: snake_case fields, like `ponder runs --json`. */
export function runJson(record: RunRecord) {
  return { ...runSummaryJson(record), object: "run" };
}

/** A stored item with its place in the log: `seq` is also the id of its server-sent event. */
export function storedItemJson(stored: StoredItem) {
  return { seq: stored.seq, step: stored.step, created_at: stored.createdAt, item: stored.item };
}

/** One model turn's usage and time, so a viewer can show each step's cost beside its items. */
export function stepUsageJson(step: StepUsage) {
  return {
    step: step.step,
    model: step.model,
    input_tokens: step.inputTokens,
    output_tokens: step.outputTokens,
    reasoning_tokens: step.reasoningTokens,
    cached_input_tokens: step.cachedInputTokens,
    cost_usd: step.costUsd,
    duration_ms: step.durationMs,
    finish_reason: step.finishReason,
  };
}
