import { isInterrupted } from "../library/run-liveness.js";
import type { RunStore } from "../store/run-store.js";
import type { Executor } from "./executor.js";

/**
 * Hands the executor every run that should be advancing and is not: queued runs (never taken,
 * or put back by a shutdown) and running runs whose process died. A server calls it when it
 * starts, so its runs continue after a restart. Strategy parents are left out: their children
 * are the runs that advance. Returns the ids handed over, oldest first.
 */
export async function recoverRuns(store: RunStore, executor: Executor): Promise<string[]> {
  const queued = await store.listRuns({ status: "queued" });
  const running = (await store.listRuns({ status: "running" })).filter((record) => isInterrupted(record));
  const runs = [...queued, ...running]
    .filter((record) => !record.spec.strategy)
    .sort((left, right) => left.createdAt.localeCompare(right.createdAt));
  for (const record of runs) await executor.submit(record.id);
  return runs.map((record) => record.id);
}
