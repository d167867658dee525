import type Database from "better-sqlite3";
import { Worker } from "node:worker_threads";
import type { CheckpointWorkerData } from "./sqlite-checkpoint-worker.js";

// A store that has committed this often is a busy one (a server, a fan-out): it gets the
// worker. Short CLI runs never do and keep SQLite's own checkpoints.
const commitsBeforeWorker = 64;
const checkpointIntervalMs = 100;
// SQLite starts the WAL over only when a write finds every frame already checkpointed; under
// writes that never pause, the worker's checkpoints always trail and the WAL would grow without
// end (3 GB in 15 s measured). So every this many commits the store's own connection catches up
// (only the frames since the worker's last pass), and its next write starts the WAL over.
const catchUpEveryCommits = 250;
// A WAL checkpointed by the worker is reused from its start, but never shrinks on its own.
const walSizeLimitBytes = 16 * 1024 * 1024;

/**
 * Takes WAL checkpoints off the store's thread. With synchronous=NORMAL a commit is a write to
 * the WAL; the fsyncs happen at checkpoints, which SQLite otherwise runs inside whichever
 * commit crosses 1,000 pages, on the event loop. Measured here: about half of a commit's time.
 */
export class SqliteCheckpointer {
  private readonly commits = new Int32Array(new SharedArrayBuffer(4));
  private worker: Worker | undefined;
  /** Once only: the counter wraps around after 2^32 commits. */
  private started = false;
  /** A catch-up could not copy every frame (the worker held the checkpoint, or a reader an old snapshot): tried again after the next commit. */
  private catchUpDue = false;

  constructor(
    private readonly database: Database.Database,
    private readonly path: string,
  ) {}

  /** Called after each commit: counts it, and starts the worker once the store is busy. */
  committed(): void {
    const count = Atomics.add(this.commits, 0, 1) + 1;
    if (count === commitsBeforeWorker && !this.started && this.path !== ":memory:") this.start();
    else if (this.worker && (this.catchUpDue || count % catchUpEveryCommits === 0)) this.catchUp();
  }

  /** Stops the worker after a last checkpoint, so the store's own close is the last connection's. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    const exited = new Promise((resolve) => worker.once("exit", resolve));
    // Unreferenced, it would let the process end before the last checkpoint.
    worker.ref();
    worker.postMessage("stop");
    await exited;
  }

  private catchUp(): void {
    try {
      const [result] = this.database.pragma("wal_checkpoint(PASSIVE)") as { busy: number; log: number; checkpointed: number }[];
      // Done when every frame is in the database file; not while the worker holds the checkpoint (busy).
      this.catchUpDue = result === undefined || result.busy !== 0 || result.checkpointed < result.log;
    } catch {
      this.catchUpDue = true;
    }
  }

  private start(): void {
    const workerData: CheckpointWorkerData = { path: this.path, commits: this.commits.buffer as SharedArrayBuffer, intervalMs: checkpointIntervalMs };
    this.started = true;
    const worker = new Worker(new URL("./sqlite-checkpoint-worker.js", import.meta.url), { workerData });
    // A worker that fails or ends unasked (no threads, a database it cannot open) leaves the
    // checkpoints to SQLite again.
    worker.once("exit", () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (this.database.open) this.database.pragma("wal_autocheckpoint = 1000");
    });
    worker.once("error", () => undefined);
    worker.unref();
    this.worker = worker;
    this.database.pragma("wal_autocheckpoint = 0");
    this.database.pragma(`journal_size_limit = ${walSizeLimitBytes}`);
  }
}
