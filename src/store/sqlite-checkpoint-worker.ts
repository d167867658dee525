// Runs in a worker thread next to a SqliteRunStore: moves committed WAL pages into the database
// file (a checkpoint, whose fsync is the slow part of writing) off the thread that serves runs.
// The store counts its commits in shared memory; the worker checkpoints when the count moved,
// then reports the pass and the WAL's length in frames (see sqlite-checkpointer.ts for why).
import Database from "better-sqlite3";
import { parentPort, workerData } from "node:worker_threads";
import {
  checkpointCounters,
  checkpointerSlot,
  releaseCheckpointer,
  tryTakeCheckpointer,
  type WalCheckpointResult,
} from "./sqlite-checkpoint-counters.js";

export type CheckpointWorkerData = { path: string; shared: SharedArrayBuffer; intervalMs: number };

const { path, shared, intervalMs } = workerData as CheckpointWorkerData;
const counters = new Int32Array(shared);
const database = new Database(path);
database.pragma("busy_timeout = 5000");
let checkpointed = 0;

function checkpoint(): void {
  const seen = Atomics.load(counters, checkpointCounters.commits);
  if (seen === checkpointed) return;
  // The store is catching up itself: this pass would only find the checkpoint busy.
  if (!tryTakeCheckpointer(counters, checkpointerSlot.worker)) return;
  try {
    // PASSIVE: never waits for the store's writers or readers; pages still in use are left for the next time.
    const [result] = database.pragma("wal_checkpoint(PASSIVE)") as WalCheckpointResult[];
    checkpointed = seen;
    Atomics.store(counters, checkpointCounters.walFrames, result?.log ?? 0);
    Atomics.add(counters, checkpointCounters.passes, 1);
  } catch {
    // Busy or locked by another process: the next interval tries again.
  } finally {
    releaseCheckpointer(counters);
  }
}

const timer = setInterval(checkpoint, intervalMs);
parentPort?.on("message", () => {
  clearInterval(timer);
  checkpoint();
  database.close();
  parentPort?.close();
});
