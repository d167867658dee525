// Runs in a worker thread next to a SqliteRunStore: moves committed WAL pages into the database
// file (a checkpoint, whose fsync is the slow part of writing) off the thread that serves runs.
// The store counts its commits in shared memory; the worker checkpoints when the count moved.
import Database from "better-sqlite3";
import { parentPort, workerData } from "node:worker_threads";

export type CheckpointWorkerData = { path: string; commits: SharedArrayBuffer; intervalMs: number };

const { path, commits, intervalMs } = workerData as CheckpointWorkerData;
const counter = new Int32Array(commits);
const database = new Database(path);
database.pragma("busy_timeout = 5000");
let checkpointed = 0;

function checkpoint(): void {
  const seen = Atomics.load(counter, 0);
  if (seen === checkpointed) return;
  try {
    // PASSIVE: never waits for the store's writers or readers; pages still in use are left for the next time.
    database.pragma("wal_checkpoint(PASSIVE)");
    checkpointed = seen;
  } catch {
    // Busy or locked by another process: the next interval tries again.
  }
}

const timer = setInterval(checkpoint, intervalMs);
parentPort?.on("message", () => {
  clearInterval(timer);
  checkpoint();
  database.close();
  parentPort?.close();
});
