import type Database from "better-sqlite3";
import { statSync } from "node:fs";
import { Worker } from "node:worker_threads";
import {
  checkpointCounterCount,
  checkpointCounters,
  checkpointerSlot,
  releaseCheckpointer,
  tryTakeCheckpointer,
  type WalCheckpointResult,
} from "./sqlite-checkpoint-counters.js";
import type { CheckpointWorkerData } from "./sqlite-checkpoint-worker.js";

// A store that has committed this often is a busy one (a server, a fan-out): it gets the
// worker. Short CLI runs never do and keep SQLite's own checkpoints.
const commitsBeforeWorker = 64;
const checkpointIntervalMs = 100;
// SQLite starts the WAL over only when a write finds every frame already checkpointed; under
// writes that never pause, the worker's checkpoints always trail and the WAL would grow without
// end (3 GB in 15 s measured). So the store's own connection catches up now and then, and its
// next write starts the WAL over. A checkpoint that copies anything fsyncs twice (~3 ms here),
// and one made at any moment also copies everything since the worker's last pass (up to 100 ms
// of commits: 5 ms in all). So the store catches up right after a worker's pass that left the
// WAL this long, when only the frames committed during that pass are left to copy...
const catchUpWalBytes = 8 * 1024 * 1024;
// ...and, whatever the worker does, the WAL file never grows much past walSizeLimitBytes (looked
// at every this many commits): past it, the store waits for the worker's pass to end and starts
// the WAL over itself. That wait is the back-pressure on a writer that outruns the checkpoints;
// on a machine too busy to schedule the worker it is the only bound (102 MB in 2 s seen without it).
// Catching up every 250 commits at any moment made one request in 125 of the proxy benchmark take 5 ms.
const walSizeCheckEveryCommits = 64;
// The WAL file is reused from its start after a catch-up, and cut back to this size.
const walSizeLimitBytes = 16 * 1024 * 1024;
// How long a store over the limit waits for the worker's pass (the same as its busy_timeout).
const restartWaitMs = 5_000;

/**
 * Takes WAL checkpoints off the store's thread. With synchronous=NORMAL a commit is a write to
 * the WAL; the fsyncs happen at checkpoints, which SQLite otherwise runs inside whichever
 * commit crosses 1,000 pages, on the event loop. Measured here: about half of a commit's time.
 */
export class SqliteCheckpointer {
  private readonly counters = new Int32Array(new SharedArrayBuffer(checkpointCounterCount * Int32Array.BYTES_PER_ELEMENT));
  /** The worker's passes already looked at. */
  private passesSeen = 0;
  /** catchUpWalBytes in WAL frames (a page and its 24-byte header). */
  private catchUpWalFrames = Number.POSITIVE_INFINITY;
  private worker: Worker | undefined;
  /** Once only: the counter wraps around after 2^32 commits. */
  private started = false;
  /** A catch-up could not copy every frame (the worker held the checkpoint, or a reader an old snapshot): tried again after the next commit. */
  private catchUpDue = false;

  constructor(
    private readonly database: Database.Database,
    private readonly path: string,
  ) {}

  /** Called after each commit: counts it, starts the worker once the store is busy, and catches up when due. */
  committed(): void {
    const count = Atomics.add(this.counters, checkpointCounters.commits, 1) + 1;
    if (count === commitsBeforeWorker && !this.started && this.path !== ":memory:") this.start();
    if (!this.worker) return;
    const passes = Atomics.load(this.counters, checkpointCounters.passes);
    const longWalAfterPass =
      passes !== this.passesSeen && Atomics.load(this.counters, checkpointCounters.walFrames) >= this.catchUpWalFrames;
    this.passesSeen = passes;
    if (count % walSizeCheckEveryCommits === 0 && this.walFileTooLong()) this.restartWal();
    else if (this.catchUpDue || longWalAfterPass) this.catchUp();
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

  /** Whether the WAL file has outgrown its limit: it grows past it only when the WAL itself does. */
  private walFileTooLong(): boolean {
    try {
      return (statSync(`${this.path}-wal`, { throwIfNoEntry: false })?.size ?? 0) > walSizeLimitBytes;
    } catch {
      // Unreadable (permissions changed under us): the worker's passes still trigger catch-ups.
      return false;
    }
  }

  /** Copies what it can without waiting; while the worker is checkpointing, tried again after the next commit. */
  private catchUp(): void {
    if (!tryTakeCheckpointer(this.counters, checkpointerSlot.store)) {
      this.catchUpDue = true;
      return;
    }
    try {
      this.catchUpDue = !this.checkpoint("PASSIVE");
    } finally {
      releaseCheckpointer(this.counters);
    }
  }

  /** Waits (blocking the thread) for the worker's pass to end, then copies every frame and makes the next write start the WAL over. */
  private restartWal(): void {
    const deadline = Date.now() + restartWaitMs;
    while (!tryTakeCheckpointer(this.counters, checkpointerSlot.store)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        this.catchUpDue = true;
        return;
      }
      Atomics.wait(this.counters, checkpointCounters.checkpointer, checkpointerSlot.worker, left);
    }
    try {
      // RESTART also waits (busy_timeout) for readers in other processes still on the old WAL.
      this.catchUpDue = !this.checkpoint("RESTART");
    } finally {
      releaseCheckpointer(this.counters);
    }
  }

  /** True when every frame is in the database file. */
  private checkpoint(mode: "PASSIVE" | "RESTART"): boolean {
    try {
      const [result] = this.database.pragma(`wal_checkpoint(${mode})`) as WalCheckpointResult[];
      return result !== undefined && result.busy === 0 && result.checkpointed >= result.log;
    } catch {
      return false;
    }
  }

  private start(): void {
    const workerData: CheckpointWorkerData = {
      path: this.path,
      shared: this.counters.buffer as SharedArrayBuffer,
      intervalMs: checkpointIntervalMs,
    };
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
    this.catchUpWalFrames = Math.floor(catchUpWalBytes / ((this.database.pragma("page_size", { simple: true }) as number) + 24));
  }
}
