import { DelayedError, UnrecoverableError, WaitingError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { RunNotFoundError } from "../core/errors.js";
import { SettingsCache } from "../config/settings-cache.js";
import { advanceStoredRun, type AdvanceEnvironment } from "./run-advancer.js";
import { defaultQueueName, redisConnection, throttledErrorReporter, type QueueSettings, type RunJobData } from "./bullmq-connection.js";

const defaultLockDurationMs = 1_000;

export type RunWorkerOptions = QueueSettings & {
  environment: AdvanceEnvironment;
  /** Runs advanced at once by this process (default 1). */
  concurrency?: number;
  /**
   * How long a job stays locked to this worker without a renewal (default 1 s; BullMQ renews it
   * twice per period). After a worker dies, its run is picked up by another worker within about
   * 1.5 times this, on any host: the runs advanced here carry an owner lease of 1.5 periods.
   */
  lockDurationMs?: number;
  /** How long a run owned by a live process elsewhere waits before it is tried again (default 5 s). */
  busyRetryMs?: number;
  onEvent?: (message: string) => void;
};

/**
 * Takes runs off the queue and advances them from their last checkpoint. A worker killed
 * mid-run loses its job lock; BullMQ's stalled-job check on the other workers puts the job back
 * on the queue, and the next worker resumes the run under the loop's rule: a finished call is
 * never run again, and one that was running when the worker died is run again only if its tool
 * declares repeating safe (otherwise the model is told its outcome is unknown).
 */
export class RunWorker {
  private readonly worker: Worker<RunJobData>;
  private readonly connection: Redis;
  private draining = false;
  private readonly environment: AdvanceEnvironment;

  constructor(private readonly options: RunWorkerOptions) {
    this.connection = redisConnection(options.redisUrl);
    const lockDuration = options.lockDurationMs ?? defaultLockDurationMs;
    const { env, cwd } = options.environment;
    this.environment = {
      // Resolving settings reads config files; the runs this worker takes share them for a second.
      settingsCache: new SettingsCache(env ?? process.env, cwd ?? process.cwd()),
      ...options.environment,
      leaseMs: options.environment.leaseMs ?? lockDuration * 1.5,
    };
    this.worker = new Worker<RunJobData>(options.queueName ?? defaultQueueName, (job, token) => this.process(job, token), {
      connection: this.connection,
      concurrency: options.concurrency ?? 1,
      lockDuration,
      // Checking twice per lock period finds a dead worker's run within 1.5 lock periods at most.
      stalledInterval: Math.max(250, Math.round(lockDuration / 2)),
      // A run may outlive several dead workers; only the run's own state decides when it is done.
      maxStalledCount: 1000,
    });
    // Errors here are connection trouble the worker recovers from by itself; report them, a few at most.
    this.worker.on(
      "error",
      throttledErrorReporter((message) => options.onEvent?.(`worker error: ${message}`)),
    );
  }

  /** Resolves once the worker is connected and waiting for jobs. */
  async ready(): Promise<void> {
    await this.worker.waitUntilReady();
  }

  /**
   * Graceful shutdown: take no new jobs, let each run here finish its current step, put it back
   * on the queue, then close.
   */
  async drain(): Promise<void> {
    this.draining = true;
    await this.worker.close();
    this.connection.disconnect();
  }

  private async process(job: Job<RunJobData>, token: string | undefined): Promise<string> {
    const { runId } = job.data;
    this.options.onEvent?.(`run ${runId}: taken`);
    let outcome;
    try {
      outcome = await advanceStoredRun(runId, this.environment, () => this.draining);
    } catch (error) {
      if (error instanceof RunNotFoundError) throw new UnrecoverableError(error.message);
      throw error;
    }
    if (outcome.kind === "stopped") {
      this.options.onEvent?.(`run ${runId}: ${outcome.record.status}`);
      return outcome.record.status;
    }
    if (outcome.kind === "yielded") {
      this.options.onEvent?.(`run ${runId}: back on the queue (worker shutting down)`);
      await job.moveToWait(token);
      // Tells BullMQ the job was moved on purpose, not finished.
      throw new WaitingError();
    }
    this.options.onEvent?.(`run ${runId}: advanced by a live process elsewhere; trying again later`);
    // An owner on another host whose lease is about to run out is looked at again just after it does.
    const retryMs = Math.min(
      this.options.busyRetryMs ?? 5_000,
      outcome.leaseRemainingMs === undefined ? Infinity : outcome.leaseRemainingMs + 100,
    );
    await job.moveToDelayed(Date.now() + retryMs, token);
    throw new DelayedError();
  }
}
