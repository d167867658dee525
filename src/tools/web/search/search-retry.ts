// The retry policy of remote search backends, stated here and nowhere else.
//
// Defaults (SearchRetrySettings, see search-settings.ts):
//   attempts      3 in total (the first request and up to 2 retries)
//   first delay   0.5 s, doubled after each retry, at most 4 s, with equal jitter (the wait is
//                 uniform in [backoff/2, backoff)) so parallel searches do not return in lockstep
//   Retry-After   when the service says how long to wait (seconds or an HTTP date), that wait is
//                 used as is; a wait longer than 10 s is not waited for: the rate limit is
//                 reported to the model at once, which can carry on without searching
//   abort         every wait ends at once when the run is cancelled or the call times out
//
// Retried (transient): 429 rate limited, 408, 500, 502, 503, 504 and other 5xx except 501 and
// 505; a connection reset or closed mid-answer.
// Never retried: 400/422 (the query itself), 401/403 (key or permission), 404 (wrong URL),
// other 4xx (plan limits such as Tavily's 432/433), 501, 505; connection refused or unknown
// host (misconfiguration); our own per-request timeout (a slow service stays slow, and
// retrying would multiply the wait).
import type { SearchRetrySettings } from "./search-settings.js";

export function isRetryableStatus(status: number): boolean {
  if (status === 429 || status === 408) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

/** Milliseconds a Retry-After header asks for (delta seconds or an HTTP date), if it parses. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before retry number `retry` (1 for the first), or undefined when the service asked
 * for a longer wait than the policy allows.
 */
export function retryDelayMs(
  retry: number,
  requestedMs: number | undefined,
  settings: SearchRetrySettings,
  random: () => number = Math.random,
): number | undefined {
  if (requestedMs !== undefined) return requestedMs > settings.maxRetryAfterMs ? undefined : requestedMs;
  const backoff = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** (retry - 1));
  return Math.round(backoff / 2 + (random() * backoff) / 2);
}
