import { hostname } from "node:os";
import type { RunRecord } from "../core/run.js";

/** A heartbeat older than this means the owning process (on another machine) is gone, unless the owner named its own lease. */
export const defaultLeaseMs = 60_000;

/**
 * Whether a run marked `running` has lost the process advancing it (killed, crashed, machine
 * restarted). Such a run continues with `ponder resume`.
 */
export function isInterrupted(record: RunRecord, now = Date.now()): boolean {
  if (record.status !== "running") return false;
  const owner = record.owner;
  if (!owner) return true;
  if (owner.host === hostname()) return !processAlive(owner.pid);
  return now - Date.parse(owner.heartbeatAt) > (owner.leaseMs ?? defaultLeaseMs);
}

/**
 * For a run owned by a process on another host: how long until its lease runs out if no
 * heartbeat comes (0 when it already has). Undefined on this host, where a pid check decides.
 */
export function leaseRemainingMs(record: RunRecord, now = Date.now()): number | undefined {
  const owner = record.owner;
  if (!owner || owner.host === hostname()) return undefined;
  return Math.max(0, Date.parse(owner.heartbeatAt) + (owner.leaseMs ?? defaultLeaseMs) - now);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
