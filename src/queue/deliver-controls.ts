import { ControlPoller, type ControlHandle } from "./control-poller.js";
import type { RunControls } from "./run-controls.js";

// One poller per controls (so per process, per database) and interval: its runs share each poll.
const pollers = new WeakMap<RunControls, Map<number, ControlPoller>>();

/**
 * Polls the run's controls and hands steering and cancel requests to the running loop (the loop
 * reads steering at its next step boundary; cancel aborts the model call and tools at once).
 * Anything that advances runs can use it: executors here, and the server for its own runs.
 */
export function deliverControls(
  runId: string,
  controls: RunControls,
  intervalMs: number,
  handle: ControlHandle,
  // A run created a moment ago by the caller has no requests yet: its first poll can wait a tick.
  options: { pollNow?: boolean } = {},
): { stop: () => Promise<void> } {
  let byInterval = pollers.get(controls);
  if (!byInterval) pollers.set(controls, (byInterval = new Map()));
  let poller = byInterval.get(intervalMs);
  if (!poller) byInterval.set(intervalMs, (poller = new ControlPoller(controls, intervalMs)));
  // stop() waits for a poll in flight: requests it takes must reach the handle before the caller looks.
  return poller.register(runId, handle, options);
}
