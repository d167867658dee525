import type { StoredItem } from "../store/run-store.js";
import type { RunRecord } from "../core/run.js";
import { isInterrupted } from "../library/run-liveness.js";

/** A run as the runs API shows it: snake_case fields, like `ponder runs --json`. */
export function runJson(record: RunRecord) {
  return {
    id: record.id,
    object: "run",
    status: record.status,
    interrupted: isInterrupted(record),
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    finished_at: record.finishedAt ?? null,
    parent_id: record.parentId ?? null,
    model: record.spec.model,
    effort: record.spec.effort,
    input: typeof record.spec.input === "string" ? record.spec.input : record.spec.input.map((part) => ("text" in part ? part.text : "[image]")).join(" "),
    metadata: record.spec.metadata ?? {},
    answer: record.result?.answer ?? null,
    stop_reason: record.result?.stopReason ?? null,
    budget_exhausted: record.result?.budgetExhausted ?? null,
    error: record.error ?? null,
    usage: record.usage,
    budget: record.spec.budget,
  };
}

/** A stored item with its place in the log: `seq` is also the id of its server-sent event. */
export function storedItemJson(stored: StoredItem) {
  return { seq: stored.seq, step: stored.step, created_at: stored.createdAt, item: stored.item };
}
