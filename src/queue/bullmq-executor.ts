import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Executor } from "./executor.js";
import {
  defaultQueueName,
  redisConnection,
  runJobOptions,
  throttledErrorReporter,
  type QueueSettings,
  type RunJobData,
} from "./bullmq-connection.js";
import { logger } from "../logging/logger.js";

const log = logger("queue");

/**
 * Puts runs on the BullMQ queue for `ponder worker` processes on any machine. The job id is the
 * run id, so submitting a run that is already queued or running adds nothing. Runs submitted in
 * the same turn of the event loop (a server answering many requests at once) go in one round
 * trip; if that fails, each is added alone, so each caller sees its own outcome.
 */
export class BullmqExecutor implements Executor {
  readonly queue: Queue<RunJobData>;
  private readonly connection: Redis;
  private submitting: { runId: string; resolve: () => void; reject: (error: unknown) => void }[] | undefined;

  constructor(settings: QueueSettings, onError: (message: string) => void = (message) => log.error(`Redis: ${message}`)) {
    this.connection = redisConnection(settings.redisUrl);
    this.queue = new Queue<RunJobData>(settings.queueName ?? defaultQueueName, { connection: this.connection });
    this.queue.on("error", throttledErrorReporter(onError));
  }

  submit(runId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.submitting) {
        this.submitting = [];
        setImmediate(() => void this.submitGathered());
      }
      this.submitting.push({ runId, resolve, reject });
    });
  }

  private async submitGathered(): Promise<void> {
    const gathered = this.submitting ?? [];
    this.submitting = undefined;
    const job = (runId: string) => ({ name: "run", data: { runId }, opts: { ...runJobOptions, jobId: runId } });
    if (gathered.length > 1) {
      const added = await this.queue.addBulk(gathered.map((entry) => job(entry.runId))).then(
        () => true,
        () => false,
      );
      if (added) return gathered.forEach((entry) => entry.resolve());
    }
    for (const entry of gathered) {
      const { name, data, opts } = job(entry.runId);
      await this.queue.add(name, data, opts).then(() => entry.resolve(), entry.reject);
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}
