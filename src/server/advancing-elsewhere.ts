import type { RunRecord } from "../core/run.js";
import { isInterrupted } from "../library/run-liveness.js";

/**
 * Whether a run that is not live in this server will still change: it waits in the queue, or a
 * live process (a worker, `ponder submit`'s background process) advances it.
 */
export function isAdvancingElsewhere(record: RunRecord): boolean {
  return record.status === "queued" || (record.status === "running" && !isInterrupted(record));
}
