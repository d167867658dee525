import { Redis } from "ioredis";

/** The queue every Ponder process on one Redis shares, unless PONDER_QUEUE names another. */
export const defaultQueueName = "ponder-runs";

export type QueueSettings = {
  /** `redis://` URL (REDIS_URL). */
  redisUrl: string;
  queueName?: string;
};

/**
 * A Redis connection as BullMQ needs it: `maxRetriesPerRequest: null` so a worker's blocking
 * wait for jobs survives a Redis restart instead of failing.
 */
export function redisConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

/** Job options: one job per run (the run id is the job id), removed when done so a run can be queued again later. */
export const runJobOptions = { removeOnComplete: true, removeOnFail: true } as const;

export type RunJobData = { runId: string };
