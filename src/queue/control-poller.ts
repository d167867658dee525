import type { ControlRequest, RunControls } from "./run-controls.js";

/** Where a run's requests go: the running loop (steering at its next step boundary, cancel at once). */
export type ControlHandle = { steer(text: string, options?: { interrupt?: boolean }): void; cancel(): void };

type Registration = { runId: string; handle: ControlHandle };

/**
 * One poll for every run a process advances: while any run is registered, each interval takes
 * the open requests of all of them in one statement and hands each run's to its handle. Polling
 * per run cost one statement per live run per interval even when nobody steered anything.
 */
export class ControlPoller {
  private readonly registrations = new Set<Registration>();
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private polling: Promise<void> | undefined;
  // A poll asked for while one was in flight: that one began without the asker's run.
  private pollAgain = false;

  constructor(
    private readonly controls: RunControls,
    private readonly intervalMs: number,
  ) {}

  /**
   * Delivers the run's requests to `handle` until `stop`, which waits for a poll in flight so
   * requests it took for this run reach the handle before the caller looks.
   */
  register(runId: string, handle: ControlHandle, options: { pollNow?: boolean } = {}): { stop: () => Promise<void> } {
    const registration: Registration = { runId, handle };
    this.registrations.add(registration);
    this.timer ??= setInterval(() => void this.poll(), this.intervalMs);
    if (options.pollNow !== false) this.pollSoon();
    return {
      stop: async () => {
        this.registrations.delete(registration);
        if (this.registrations.size === 0) this.idle();
        await this.polling;
      },
    };
  }

  /** Runs registered in the same turn share the poll they ask for. */
  private pollSoon(): void {
    this.immediate ??= setImmediate(() => {
      this.immediate = undefined;
      if (this.polling) this.pollAgain = true;
      else void this.poll();
    });
  }

  private idle(): void {
    clearInterval(this.timer);
    clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    this.pollAgain = false;
  }

  private poll(): Promise<void> {
    return (this.polling ??= this.pollOnce().finally(() => {
      this.polling = undefined;
      if (!this.pollAgain) return;
      this.pollAgain = false;
      void this.poll();
    }));
  }

  private async pollOnce(): Promise<void> {
    // The runs as the poll begins: one that stops meanwhile still gets what was taken for it.
    const polled = [...this.registrations];
    if (polled.length === 0) return;
    let taken: Map<string, ControlRequest[]>;
    try {
      taken = await this.controls.takeMany([...new Set(polled.map((registration) => registration.runId))]);
    } catch {
      // A failed poll (database briefly unreachable) is retried at the next tick.
      return;
    }
    for (const { runId, handle } of polled) {
      const requests = taken.get(runId);
      // A run registered twice in this process gets its requests once, at its first handle.
      taken.delete(runId);
      for (const request of requests ?? []) deliver(request, handle);
    }
  }
}

function deliver(request: ControlRequest, handle: ControlHandle): void {
  try {
    if (request.kind === "cancel") handle.cancel();
    else handle.steer(request.text, { interrupt: request.interrupt === true });
  } catch {
    // One handle that throws must not keep the other runs of the poll from their requests.
  }
}
