import { Redis } from "ioredis";
import { ConfigError, errorMessage } from "../core/errors.js";

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

/**
 * Fails fast, with what to do, when Redis cannot be reached: every BullMQ connection would
 * otherwise retry forever and the process would sit there printing connection errors.
 */
export async function ensureRedisReachable(url: string, timeoutMs = 3_000): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // The socket's own error (ECONNREFUSED, ENOTFOUND) says more than the "Connection is closed" connect() rejects with.
  let socketError: unknown;
  probe.on("error", (error) => (socketError ??= error));
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const reason = errorMessage(socketError ?? error).replace(/\.$/, "");
    throw new ConfigError(
      `Cannot reach Redis at ${redactedUrl(url)} (REDIS_URL): ${reason}.`,
      "Start Redis there, fix REDIS_URL, or unset it to run without workers.",
    );
  } finally {
    probe.disconnect();
  }
}

function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unparsable URL)";
  }
}

/**
 * Reports a connection's errors at most once per interval: while Redis is down, BullMQ retries
 * several times a second and each retry would otherwise print a stack trace.
 */
export function throttledErrorReporter(report: (message: string) => void, intervalMs = 10_000): (error: Error) => void {
  let lastAt = 0;
  let suppressed = 0;
  return (error) => {
    const now = Date.now();
    if (now - lastAt < intervalMs) {
      suppressed++;
      return;
    }
    report(`${error.message}${suppressed > 0 ? ` (${suppressed} more like it since the last report)` : ""}; retrying`);
    lastAt = now;
    suppressed = 0;
  };
}

/** Job options: one job per run (the run id is the job id), removed when done so a run can be queued again later. */
export const runJobOptions = { removeOnComplete: true, removeOnFail: true } as const;

export type RunJobData = { runId: string };
