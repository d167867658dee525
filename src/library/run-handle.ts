import type { RunEvent } from "../core/events.js";
import { InvalidRunStateError } from "../core/errors.js";
import type { RunRecord } from "../core/run.js";
import { SuspendedError } from "../core/errors.js";

/**
 * A run in progress. `events()` replays what happened since the handle was made and then
 * follows live, so a UI that subscribes late misses nothing; each call gets its own iterator.
 */
export class RunHandle {
  private readonly history: RunEvent[] = [];
  private readonly waiters = new Set<() => void>();
  private ended = false;
  private readonly steering: string[] = [];
  /** Stops the model turn in progress, while there is one (set by the loop). */
  private interruptTurn: (() => void) | undefined;
  readonly result: Promise<RunRecord>;

  constructor(
    readonly id: string,
    private readonly controller: AbortController,
    start: (handle: RunHandle) => Promise<RunRecord>,
    /** Starts the conversation's next turn with this run's options (see `followUp`). */
    private readonly startFollowUp?: (text: string) => Promise<RunHandle>,
  ) {
    this.result = start(this).finally(() => {
      this.ended = true;
      this.wake();
    });
    // The result is also observed through events; avoid an unhandled rejection when only events are read.
    this.result.catch(() => undefined);
  }

  /** Called by the loop for every event. */
  publish(event: RunEvent): void {
    this.history.push(event);
    this.wake();
  }

  async *events(): AsyncGenerator<RunEvent> {
    let index = 0;
    for (;;) {
      while (index < this.history.length) yield this.history[index++] as RunEvent;
      if (this.ended) return;
      await new Promise<void>((resolve) => this.waiters.add(resolve));
    }
  }

  /** Stops the run: the model stream and every running tool are aborted. */
  cancel(): void {
    this.controller.abort();
  }

  /**
   * Stops the run as `cancel` does, because its process is shutting down: the run is left
   * `paused` (stop reason `suspended`) for `ponder resume` or the next server, never cancelled.
   */
  suspend(): void {
    this.controller.abort(new SuspendedError());
  }

  /**
   * Sends the model a message, picked up at its next step boundary. With `interrupt`, a model
   * turn in progress is cut short (its partial output is dropped) so the message is read now;
   * tool calls in progress are not stopped.
   */
  steer(message: string, options: { interrupt?: boolean } = {}): void {
    this.steering.push(message);
    if (options.interrupt) this.interruptTurn?.();
  }

  /** Called by the loop when a model turn starts, with what stops it; the returned function is called when it ends. */
  watchTurn(interrupt: () => void): () => void {
    this.interruptTurn = interrupt;
    return () => {
      if (this.interruptTurn === interrupt) this.interruptTurn = undefined;
    };
  }

  /**
   * Asks a follow-up question once this run has ended (completed, failed or cancelled): the next
   * turn of its conversation, with the same options (model, tools, store, events callback),
   * seeing everything this run did. Same as `startRun(text, { ...options, continueFrom: id })`.
   */
  async followUp(text: string): Promise<RunHandle> {
    if (!this.startFollowUp)
      throw new InvalidRunStateError(
        `Run ${this.id} was not started by startRun or resumeRun.`,
        `Use startRun(text, { continueFrom: "${this.id}" }).`,
      );
    await this.result.catch(() => undefined);
    return this.startFollowUp(text);
  }

  takeSteering(): string[] {
    return this.steering.splice(0);
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
    this.waiters.clear();
  }
}
