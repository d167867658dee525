// Abort helpers shared by the model clients, the retry loop and the tools. A cancelled run must
// stop promptly even when a provider, a backend or a sleep would otherwise keep it waiting.

/** The error to throw for an aborted signal: its own reason when that is an Error, else an AbortError. */
export function abortErrorOf(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new DOMException("The operation was aborted.", "AbortError");
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortErrorOf(signal);
}

/** Waits `ms` milliseconds; rejects with the abort error as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortErrorOf(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortErrorOf(signal as AbortSignal));
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Settles like `promise`, unless `signal` aborts first, in which case it rejects with the abort error. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortErrorOf(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortErrorOf(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** setTimeout's longest delay: a longer one would fire at once. */
const longestTimerMs = 2 ** 31 - 1;

/**
 * A signal that aborts when `signal` does, or when the clock reaches `until` (epoch ms) with a
 * TimeoutError; `release` stops watching both. What AbortSignal.any with AbortSignal.timeout
 * does, without their weak references and finalizers, which every run would pay for.
 */
export function signalUntil(signal: AbortSignal, until: number | undefined): { signal: AbortSignal; release: () => void } {
  if (until === undefined) return { signal, release: () => undefined };
  const controller = new AbortController();
  const follow = () => controller.abort(signal.reason);
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = until - Date.now();
    // Rounded up: a timer fires on whole milliseconds, and must not fire before the deadline.
    timer = left > longestTimerMs ? setTimeout(arm, longestTimerMs) : setTimeout(expire, Math.max(0, Math.ceil(left)));
    timer.unref();
  };
  const expire = () => controller.abort(new DOMException("The deadline passed.", "TimeoutError"));
  if (signal.aborted) follow();
  else {
    signal.addEventListener("abort", follow, { once: true });
    arm();
  }
  return {
    signal: controller.signal,
    release: () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", follow);
    },
  };
}
