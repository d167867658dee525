import type { RunRecord } from "../core/run.js";
import type { RunStore } from "../store/run-store.js";
import { runSummaryJson } from "../library/run-summary.js";

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
