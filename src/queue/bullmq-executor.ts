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
 * run id, so submitting a run that is already queued or running adds nothing.
 */
export class BullmqExecutor implements Executor {
  readonly queue: Queue<RunJobData>;
  private readonly connection: Redis;

  constructor(settings: QueueSettings, onError: (message: string) => void = (message) => log.error(`Redis: ${message}`)) {
    this.connection = redisConnection(settings.redisUrl);
    this.queue = new Queue<RunJobData>(settings.queueName ?? defaultQueueName, { connection: this.connection });
    this.queue.on("error", throttledErrorReporter(onError));
  }

  async submit(runId: string): Promise<void> {
    await this.queue.add("run", { runId }, { ...runJobOptions, jobId: runId });
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}
