import type { RunControls } from "./run-controls.js";

/**
 * Polls the run's controls and hands steering and cancel requests to the running loop (the loop
 * reads steering at its next step boundary; cancel aborts the model call and tools at once).
 * Anything that advances runs can use it: executors here, and the server for its own runs.
 */
export function deliverControls(
  runId: string,
  controls: RunControls,
  intervalMs: number,
  handle: { steer(text: string, options?: { interrupt?: boolean }): void; cancel(): void },
  // A run created a moment ago by the caller has no requests yet: its first poll can wait a tick.
  options: { pollNow?: boolean } = {},
): { stop: () => Promise<void> } {
  let polling: Promise<void> | undefined;
  const poll = () => (polling ??= pollOnce().finally(() => (polling = undefined)));
  const pollOnce = async () => {
    try {
      for (const request of await controls.take(runId)) {
        if (request.kind === "cancel") handle.cancel();
        else handle.steer(request.text, { interrupt: request.interrupt === true });
      }
    } catch {
      // A failed poll (database briefly unreachable) is retried at the next tick.
    }
  };
  if (options.pollNow !== false) void poll();
  const timer = setInterval(() => void poll(), intervalMs);
  return {
    // Waits for a poll in flight: requests it takes must reach the handle before the caller looks.
    stop: async () => {
      clearInterval(timer);
      await polling;
    },
  };
}
