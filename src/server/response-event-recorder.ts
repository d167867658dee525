import { logged, logger } from "../logging/logger.js";
import type { RecordedEvent, ResponseEventLog } from "./response-event-log.js";

const log = logger("server");

/** How long an event may wait to be written with the ones after it: one write per batch, not per token. */
const batchMs = 50;

/**
 * Records a background response's stream as it is sent, in batches. The stream goes on whether
 * or not its client is still there, so a client that leaves (even at the first event) can resume.
 */
export class ResponseEventRecorder {
  private pending: RecordedEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly events: ResponseEventLog,
    private readonly responseId: string,
  ) {}

  add(sequence: number, event: unknown): void {
    this.pending.push({ sequence, json: JSON.stringify(event) });
    this.timer ??= setTimeout(() => void this.flush(), batchMs);
  }

  /** Writes what is pending; resolves when everything added so far is written. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0)
      this.writing = this.writing
        .then(() => this.events.append(this.responseId, batch))
        .catch(logged(log.child({ runId: this.responseId }), "warn", "could not record a response's events"));
    return this.writing;
  }
}
