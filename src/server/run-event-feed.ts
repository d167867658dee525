import { performance } from "node:perf_hooks";
import type { RunEvent } from "../core/events.js";
import type { RunRecord } from "../core/run.js";
import { logger } from "../logging/logger.js";
import type { RunStore, StoredItem } from "../store/run-store.js";
import { EventFrameLog, pieces } from "./event-frame-log.js";
import { serverSentEvent, type EventStream } from "./event-stream.js";
import { storedItemJson } from "./run-view.js";

const log = logger("server");

/** A watcher this far behind the newest event, its connection full, is let go of (see RunEventFeed). */
const defaultMaximumLagBytes = 1 << 20;
/** Writing to watchers yields to the event loop about this often, so the run's own I/O never waits on it for longer. */
const sliceMs = 2;
const minimumPerSlice = 8;

type Entry =
  | { kind: "read" }
  | { kind: "event"; event: RunEvent }
  | { kind: "admit"; watcher: Watcher }
  | { kind: "end"; record: RunRecord | undefined };

type Watcher = {
  stream: EventStream;
  /** The last item this watcher was sent (or told of, with Last-Event-ID). */
  lastSeq: number;
  /** Items up to this seq are never sent to it from the log. */
  skipThrough: number;
  /** Its place in the log; undefined until admitted, and while let go of. */
  cursor: number | undefined;
  /** Bytes to write before following the log: the items it missed, the rest of an event it was let go of in. */
  pending: { bytes: Buffer; item: boolean }[];
  /** Its connection holds more than it should: written again on drain. */
  blocked: boolean;
  done: () => void;
};

/**
 * The events of one live run for every client of `GET /v1/runs/{id}/events`. The run only hands
 * each event over; the rest happens behind it, in the event loop's check phase: one store read
 * per new item for all watchers, each event encoded once (EventFrameLog), and one write per
 * watcher carrying everything since its last, the same bytes for every watcher at the same
 * place. Writing yields to the event loop every couple of milliseconds, so the run's next model
 * chunk never waits long.
 *
 * Each watcher reads at its own pace: one whose connection is full is not written until it
 * drains. The encoded events are kept back to the slowest watcher only; one more than
 * `maximumLagBytes` behind with a full connection is let go of, and when it drains it is sent
 * the items stored meanwhile and follows live again, as a client reconnecting with Last-Event-ID
 * would. It misses the live-only events (deltas, status) of that time, never an item; and a
 * watcher that stops reading holds about that bound of this process's memory, not the run's
 * whole output.
 */
export class RunEventFeed {
  /** Every item of the run, read from the store once for all watchers. */
  private readonly storedItems: StoredItem[] = [];
  private readonly encodedItems = new WeakMap<StoredItem, Buffer>();
  private readonly frames = new EventFrameLog();
  private readonly watchers = new Set<Watcher>();
  private readonly inbox: Entry[] = [{ kind: "read" }];
  private pumping = false;
  private pumpScheduled = false;
  private flushScheduled = false;
  /** Watchers written in one slice of `flush`, sized by what writes cost here. */
  private perSlice = minimumPerSlice;
  /** The last event (`done`, with the run's status), once the run has stopped advancing here. */
  private doneEvent: Buffer | undefined;
  /** True once a store read failed: every stream was ended, and new watchers need a new feed. */
  failed = false;

  constructor(
    private readonly runId: string,
    private readonly store: RunStore,
    private readonly maximumLagBytes = defaultMaximumLagBytes,
  ) {
    this.schedulePump();
  }

  /** For LiveRun.subscribe: the run's events arrive here. */
  readonly listener = {
    event: (event: RunEvent) => {
      if (this.failed) return;
      // Items are read from the store for their seq; one read finds every item of a checkpoint.
      if (event.type === "item-added") {
        if (this.inbox.at(-1)?.kind !== "read") this.inbox.push({ kind: "read" });
      } else this.inbox.push({ kind: "event", event });
      this.schedulePump();
    },
    end: (record: RunRecord | undefined) => {
      this.inbox.push({ kind: "end", record });
      this.schedulePump();
    },
  };

  /**
   * Streams the run to `stream`: the stored items after `lastSeq`, then every event from now on,
   * each new item with its seq; settles when the stream ends (the run ended, or the client left).
   */
  watch(stream: EventStream, lastSeq: number): Promise<void> {
    return new Promise((resolve) => {
      const watcher: Watcher = { stream, lastSeq, skipThrough: lastSeq, cursor: undefined, pending: [], blocked: false, done: resolve };
      stream.onClientGone(() => this.release(watcher));
      this.inbox.push({ kind: "admit", watcher });
      this.schedulePump();
    });
  }

  /**
   * The bytes this feed holds for its watchers besides the run's items (kept for all of them):
   * events kept for the slowest, and what their connections have not taken.
   */
  get heldBytes(): number {
    let held = this.frames.keptEventBytes;
    for (const watcher of this.watchers) {
      held += watcher.stream.bufferedBytes;
      for (const pending of watcher.pending) if (!pending.item) held += pending.bytes.length;
    }
    return held;
  }

  private schedulePump(): void {
    if (this.pumping || this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      void this.pump();
    });
  }

  /** Takes the inbox in order (reads, encodes, admits, ends), then has the watchers written. */
  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      for (let entry = this.inbox.shift(); entry && !this.failed; entry = this.inbox.shift()) {
        if (entry.kind === "read") await this.readNewItems();
        else if (entry.kind === "event")
          this.frames.append(Buffer.from(serverSentEvent(JSON.stringify(entry.event), { event: entry.event.type })), undefined);
        else if (entry.kind === "admit") this.admit(entry.watcher);
        else await this.finish(entry.record);
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.pumping = false;
    }
    this.scheduleFlush();
  }

  private async readNewItems(): Promise<void> {
    const fresh = await this.store.listItems(this.runId, this.storedItems.at(-1)?.seq ?? -1);
    for (const stored of fresh) {
      this.storedItems.push(stored);
      this.frames.append(this.encodedItem(stored), stored.seq);
    }
  }

  private async finish(record: RunRecord | undefined): Promise<void> {
    await this.readNewItems();
    const status = record?.status ?? (await this.store.getRun(this.runId))?.status;
    this.doneEvent = Buffer.from(serverSentEvent(JSON.stringify({ status }), { event: "done" }));
  }

  private encodedItem(stored: StoredItem): Buffer {
    let bytes = this.encodedItems.get(stored);
    if (!bytes) {
      bytes = Buffer.from(serverSentEvent(JSON.stringify(storedItemJson(stored)), { event: "item", id: stored.seq }));
      this.encodedItems.set(stored, bytes);
    }
    return bytes;
  }

  /** A watcher starts (or, let go of, starts again) with the stored items it has not been sent, then follows the log from its newest event. */
  private admit(watcher: Watcher): void {
    if (watcher.stream.closed) return;
    for (const stored of this.storedItems)
      if (stored.seq > watcher.lastSeq) {
        for (const bytes of pieces(this.encodedItem(stored))) watcher.pending.push({ bytes, item: true });
        watcher.lastSeq = stored.seq;
      }
    watcher.skipThrough = watcher.lastSeq;
    watcher.cursor = this.frames.head;
    this.watchers.add(watcher);
    // With nothing to send yet, the client still learns that its stream is open.
    if (watcher.pending.length === 0) watcher.stream.open();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /**
   * Writes `perSlice` of the watchers that can take more, then lets the event loop run (the run's
   * own I/O first) and goes on. Sockets are written in the ticks after this returns, so a slice's
   * cost is measured there, and the next slice sized to take about `sliceMs`.
   */
  private flush(): void {
    const started = performance.now();
    const shared = new Map<number, Buffer>();
    let written = 0;
    for (const watcher of this.watchers) {
      if (watcher.blocked || watcher.cursor === undefined) continue;
      if (watcher.pending.length === 0 && watcher.cursor === this.frames.head && !this.doneEvent) continue;
      if (written === this.perSlice) {
        this.scheduleFlush();
        break;
      }
      written++;
      this.serve(watcher, shared);
    }
    if (written > 0)
      process.nextTick(() => {
        const each = (performance.now() - started) / written;
        this.perSlice = Math.max(minimumPerSlice, Math.floor(sliceMs / Math.max(each, 0.001)));
      });
    this.letGoOfLaggards();
  }

  /** What a watcher has not been sent, until its connection is full; the stream ends once it has everything and the run ended. */
  private serve(watcher: Watcher, shared: Map<number, Buffer>): void {
    while (!watcher.blocked && watcher.pending.length > 0) this.write(watcher, (watcher.pending.shift() as { bytes: Buffer }).bytes);
    while (!watcher.blocked && watcher.pending.length === 0 && (watcher.cursor as number) < this.frames.head) {
      const { bytes, next, seq } = this.frames.read(watcher.cursor as number, watcher.skipThrough, shared);
      watcher.cursor = next;
      if (seq !== undefined) watcher.lastSeq = seq;
      this.write(watcher, bytes);
    }
    if (this.doneEvent && watcher.pending.length === 0 && watcher.cursor === this.frames.head) {
      watcher.stream.end(this.doneEvent);
      this.release(watcher);
    }
  }

  private write(watcher: Watcher, bytes: Buffer): void {
    if (bytes.length === 0 || watcher.stream.sendEncoded(bytes)) return;
    watcher.blocked = true;
    watcher.stream.onDrain(() => {
      watcher.blocked = false;
      if (watcher.cursor === undefined) {
        this.inbox.push({ kind: "admit", watcher });
        this.schedulePump();
      } else this.scheduleFlush();
    });
  }

  private release(watcher: Watcher): void {
    this.watchers.delete(watcher);
    watcher.done();
  }

  /** Lets go of watchers too far behind with a full connection, and forgets the events every other watcher has passed. */
  private letGoOfLaggards(): void {
    let keep = this.frames.head;
    for (const watcher of this.watchers) {
      if (watcher.cursor === undefined) continue;
      if (watcher.blocked && this.frames.lagBytes(watcher.cursor) > this.maximumLagBytes) {
        watcher.pending.push(...this.frames.restOfEvent(watcher.cursor));
        watcher.cursor = undefined;
      } else keep = Math.min(keep, watcher.cursor);
    }
    this.frames.trim(keep);
  }

  private fail(error: unknown): void {
    log.warn({ err: error, runId: this.runId }, "a run's event streams ended: a store read failed");
    this.failed = true;
    for (const watcher of this.watchers) {
      watcher.stream.end();
      this.release(watcher);
    }
    for (const entry of this.inbox.splice(0))
      if (entry.kind === "admit") {
        entry.watcher.stream.end();
        entry.watcher.done();
      }
  }
}
