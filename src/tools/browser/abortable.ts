import { CancelledError } from "../../core/errors.js";

/** The error a stopped browser action ends with: the signal's own reason when it is an error. */
export function abortReasonOf(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new CancelledError("The browser action was stopped.");
}

/**
 * Settles with `promise`, or rejects as soon as `signal` aborts. Playwright's calls take no
 * AbortSignal, so this is how a cancel reaches the caller at once; the work itself is stopped
 * by whoever listens to the signal (the session closes the page).
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // Nobody waits for it any more: its outcome, failure included, no longer matters.
    promise.catch(() => undefined);
    return Promise.reject(abortReasonOf(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReasonOf(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
