import { hostname } from "node:os";
import type { RunRecord } from "../core/run.js";

/** A heartbeat older than this means the owning process (on another machine) is gone. */
const staleAfterMs = 60_000;

/**
 * Whether a run marked `running` has lost the process advancing it (killed, crashed, machine
 * restarted). Such a run continues with `ponder resume`.
 */
export function isInterrupted(record: RunRecord, now = Date.now()): boolean {
  if (record.status !== "running") return false;
  const owner = record.owner;
  if (!owner) return true;
  if (owner.host === hostname()) return !processAlive(owner.pid);
  return now - Date.parse(owner.heartbeatAt) > staleAfterMs;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
