import type { StoredItem } from "../store/run-store.js";
import type { RunRecord } from "../core/run.js";
import { runSummaryJson } from "../library/run-summary.js";

/** A run as the runs API shows it: snake_case fields, like `ponder runs --json`. */
export function runJson(record: RunRecord) {
  return { ...runSummaryJson(record), object: "run" };
}

/** A stored item with its place in the log: `seq` is also the id of its server-sent event. */
export function storedItemJson(stored: StoredItem) {
  return { seq: stored.seq, step: stored.step, created_at: stored.createdAt, item: stored.item };
}
