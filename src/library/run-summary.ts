import type { RunRecord } from "../core/run.js";
import { cachedInputShare } from "../models/prices.js";
import { isInterrupted } from "./run-liveness.js";

/** A run as scripts see it (`ponder runs --json`, the runs API): snake_case fields, no items. */
export function runSummaryJson(record: RunRecord) {
  return {
    id: record.id,
    status: record.status,
    interrupted: isInterrupted(record),
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    finished_at: record.finishedAt ?? null,
    parent_id: record.parentId ?? null,
    /** The conversation the run is a turn of: its first turn's id (the run's own id on a first turn). */
    conversation_id: record.conversationId ?? record.id,
    previous_run_id: record.previousRunId ?? null,
    model: record.spec.model,
    effort: record.spec.effort,
    metadata: record.spec.metadata ?? {},
    input:
      typeof record.spec.input === "string"
        ? record.spec.input
        : record.spec.input.map((part) => ("text" in part ? part.text : "[image]")).join(" "),
    answer: record.result?.answer ?? null,
    stop_reason: record.result?.stopReason ?? null,
    budget_exhausted: record.result?.budgetExhausted ?? null,
    error: record.error ?? null,
    usage: record.usage,
    /** Share of the input tokens read from the provider's prompt cache (0-1); null before any input. */
    cached_input_share: cachedInputShare(record.usage) ?? null,
    budget: record.spec.budget,
    strategy: record.spec.strategy ?? null,
    distribution: record.result?.distribution?.map(({ runIds, ...cluster }) => ({ ...cluster, run_ids: runIds })) ?? null,
    confidence: record.result?.confidence ?? null,
    /** Calls started whose outcome is not recorded yet: if the run is interrupted, their effects are unknown. */
    calls_in_flight: record.callsInFlight ?? [],
  };
}
