import type { RunRecord } from "../core/run.js";
import type { RunStore } from "../store/run-store.js";
import { isInterrupted } from "../library/run-liveness.js";

/** A run as JSON for scripts: snake_case top-level fields, the record, and its items. */
export async function runAsJson(store: RunStore, record: RunRecord, withItems = true) {
  return {
    ...runSummaryJson(record),
    ...(withItems
      ? {
          steps: await store.listSteps(record.id),
          items: (await store.listItems(record.id)).map((stored) => ({ ...stored.item, step: stored.step, created_at: stored.createdAt })),
        }
      : {}),
  };
}

export function runSummaryJson(record: RunRecord) {
  return {
    id: record.id,
    status: record.status,
    interrupted: isInterrupted(record),
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    finished_at: record.finishedAt ?? null,
    parent_id: record.parentId ?? null,
    model: record.spec.model,
    effort: record.spec.effort,
    input: typeof record.spec.input === "string" ? record.spec.input : record.spec.input.map((part) => ("text" in part ? part.text : "[image]")).join(" "),
    answer: record.result?.answer ?? null,
    stop_reason: record.result?.stopReason ?? null,
    budget_exhausted: record.result?.budgetExhausted ?? null,
    error: record.error ?? null,
    usage: record.usage,
    budget: record.spec.budget,
  };
}
