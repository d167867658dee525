// One retry policy for model calls, stated here and nowhere else.
//
// Defaults (override any of them per call, or for every call in ponder.config.json's `modelCalls`):
//   attempts      4 in total (the first call and up to 3 retries)
//   first delay   1 s, multiplied by 2 after each retry, at most 30 s
//   jitter        full jitter: the wait is uniform in [0, backoff), so many runs hitting the same
//                 rate limit do not come back in lockstep
//   Retry-After   when the provider says how long to wait (retry-after-ms, retry-after seconds or
//                 an HTTP date), that wait is used as is; a wait longer than 2 min is not waited
//                 for: the error is thrown so the caller can decide
//   deadline      an absolute time (epoch ms, the run's deadline): a retry whose wait would end
//                 after it is not attempted and the last error is thrown
//
// Retried (transient):
//   408 request timeout, 409 conflict, 429 rate limited, 500, 502, 503, 504, 529 (Anthropic
//   overloaded) and any other 5xx except 501 and 505; connection reset, socket closed mid-stream,
//   connect and idle timeouts (model-call-timeouts.ts); a response Ponder cannot read (not JSON,
//   not the API's shape: a proxy or server glitch); streams that end before their finish,
//   including a stream with no events at all.
// Never retried (trying again cannot help):
//   400 bad request (incl. context length exceeded), 401 bad key, 403 forbidden, 404 unknown
//   model or URL, 413 too large, 422 unprocessable, 429 insufficient_quota (billing), 501, 505;
//   an aborted call; connection refused and unknown host (misconfiguration: wrong base URL or
//   server not running); errors that are not ModelCallErrors (bugs should surface, not loop).
//
// A stream that fails after it has already yielded deltas is retried as a whole turn: the caller
// learns it from `onRetry` (`discardedPartialOutput`) and resets its partial display. Only the
// turn's complete items (the `finish` part of the attempt that succeeds) are ever stored.
//
// When the attempts run out, the last error is thrown as not retryable, its message saying how
// many attempts failed: the run fails with model_call_failed. A retryable error thrown as is
// means retrying stopped for another reason (the deadline, a Retry-After too long to wait).

import { ModelCallError, isAbortError } from "../core/errors.js";
import { sleep } from "../core/abort.js";
import type { ModelClient, ModelRequest, ModelStreamPart } from "./model-client.js";

export type RetryPolicy = {
  /** Attempts in total, the first call included. */
  maxAttempts: number;
  initialDelayMs: number;
  backoffFactor: number;
  maxDelayMs: number;
  /** The longest provider-requested wait (Retry-After) that is honoured rather than given up on. */
  maxRetryAfterMs: number;
};

export const defaultRetryPolicy: Readonly<RetryPolicy> = {
  maxAttempts: 4,
  initialDelayMs: 1_000,
  backoffFactor: 2,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

const retriedStatuses: ReadonlySet<number> = new Set([408, 409, 429, 500, 502, 503, 504, 529]);
const neverRetriedStatuses: ReadonlySet<number> = new Set([400, 401, 403, 404, 413, 422, 501, 505]);

/** Whether an HTTP status is worth retrying, by the lists at the top of this file. */
export function isRetryableStatus(status: number): boolean {
  if (neverRetriedStatuses.has(status)) return false;
  return retriedStatuses.has(status) || (status >= 500 && status <= 599);
}

/** Whether `error` should be retried. The error's own `retryable` flag is set by the clients from the same lists. */
export function shouldRetry(error: unknown): boolean {
  if (isAbortError(error)) return false;
  if (!(error instanceof ModelCallError)) return false;
  if (error.status !== undefined && neverRetriedStatuses.has(error.status)) return false;
  return error.retryable;
}

export type RetryNotice = {
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  reason: string;
  /** True when the failed attempt had already streamed deltas, which the caller should now discard. */
  discardedPartialOutput: boolean;
  error: ModelCallError;
};

export type RetryOptions = Partial<RetryPolicy> & {
  /** Absolute epoch-ms time after which no retry is started. */
  deadline?: number;
  onRetry?: (notice: RetryNotice) => void;
  /** Source of randomness for jitter; tests pass a fixed one. */
  random?: () => number;
};

/** The last error of a call whose attempts ran out: no one should retry it again. */
function retriesExhausted(error: ModelCallError, attempts: number): ModelCallError {
  const message = attempts === 1 ? error.message : `${error.message} (failed ${attempts} times in a row)`;
  return new ModelCallError(message, { status: error.status, retryable: false, cause: error, hint: error.hint });
}

/** The wait before retry number `attempt`, or undefined when the provider asked for more than we wait. */
export function retryDelayMs(
  error: ModelCallError,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | undefined {
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs > policy.maxRetryAfterMs ? undefined : Math.max(0, error.retryAfterMs);
  }
  const backoff = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.backoffFactor ** (attempt - 1));
  return Math.floor(random() * backoff);
}

/**
 * Streams one model turn, retrying transient failures by the policy above. Yields the parts of
 * the attempt that succeeds (and, before that, the deltas of failed attempts: see onRetry).
 */
export async function* streamWithRetry(
  client: ModelClient,
  request: ModelRequest,
  options: RetryOptions = {},
): AsyncGenerator<ModelStreamPart> {
  // The caller's options, then the client's configured policy, then the defaults.
  const configured = client.retryPolicy ?? {};
  const pick = <K extends keyof RetryPolicy>(key: K): RetryPolicy[K] => options[key] ?? configured[key] ?? defaultRetryPolicy[key];
  const policy: RetryPolicy = {
    maxAttempts: pick("maxAttempts"),
    initialDelayMs: pick("initialDelayMs"),
    backoffFactor: pick("backoffFactor"),
    maxDelayMs: pick("maxDelayMs"),
    maxRetryAfterMs: pick("maxRetryAfterMs"),
  };
  for (let attempt = 1; ; attempt++) {
    let yieldedOutput = false;
    try {
      for await (const part of client.stream(request)) {
        if (part.type !== "finish") yieldedOutput = true;
        yield part;
      }
      return;
    } catch (error) {
      if (request.signal.aborted || !shouldRetry(error)) throw error;
      if (attempt >= policy.maxAttempts) throw retriesExhausted(error as ModelCallError, attempt);
      const modelError = error as ModelCallError;
      const delayMs = retryDelayMs(modelError, attempt, policy, options.random);
      if (delayMs === undefined) throw error;
      if (options.deadline !== undefined && Date.now() + delayMs >= options.deadline) throw error;
      options.onRetry?.({
        attempt,
        delayMs,
        reason: modelError.message,
        discardedPartialOutput: yieldedOutput,
        error: modelError,
      });
      await sleep(delayMs, request.signal);
    }
  }
}
