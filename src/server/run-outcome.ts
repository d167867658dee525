import type { RunEvent } from "../core/events.js";
import type { RunRecord } from "../core/run.js";
import type { LiveRun } from "./live-runs.js";

/**
 * Follows a run from its start: `onEvent` sees each of its events, and the promise settles with
 * the run's final record (undefined when the run ended with an error rather than a status).
 */
export function followRun(live: LiveRun, onEvent: (event: RunEvent) => void = () => undefined): Promise<RunRecord | undefined> {
  return new Promise((resolve) => {
    live.subscribe({ event: onEvent, end: resolve }, { fromStart: true });
  });
}

/** Text the client reads when a run stopped without an answer. */
export function outcomeText(record: RunRecord): string {
  if (record.status === "completed") return record.result?.answer ?? "";
  if (record.status === "awaiting_approval") {
    return `[Ponder] Run ${record.id} is waiting for approval of a tool call: POST /v1/runs/${record.id}/approve (or /deny), then read the answer from GET /v1/runs/${record.id}.`;
  }
  if (record.status === "cancelled") return record.result?.answer ?? "";
  return "";
}
