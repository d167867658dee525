import type { RunEvent } from "../core/events.js";
import type { RunRecord } from "../core/run.js";
import type { RunHandle } from "../library/run-handle.js";
import { logged, logger } from "../logging/logger.js";
import type { RunStore, StoredItem } from "../store/run-store.js";
import { storedItemJson } from "./run-view.js";

const log = logger("server");

export type RunListener = { event: (event: RunEvent) => void; end: (record: RunRecord | undefined) => void };

/**
 * A run this server is advancing. A listener may ask for the events from the run's start (the
 * request that created the run) or only from now on (a client attaching later, which reads the
 * past from the store).
 */
export class LiveRun {
  private readonly listeners = new Set<RunListener>();
  private readonly history: RunEvent[] = [];
  private ended: { record: RunRecord | undefined } | undefined;
  /**
   * The run's stored items as its watchers read them: read from the store once for all of them
   * (one read per new item, not one per watcher), each serialised once.
   */
  private readonly storedItems: StoredItem[] = [];
  private reading: Promise<void> | undefined;
  private readingNext: Promise<void> | undefined;
  private readonly serialised = new WeakMap<object, string>();
  /** Settles when the run stops advancing here; undefined when it ended with an error. */
  readonly finished: Promise<RunRecord | undefined>;

  constructor(
    readonly handle: RunHandle,
    readonly tenant: string | undefined,
  ) {
    this.finished = this.broadcast();
  }

  get id(): string {
    return this.handle.id;
  }

  subscribe(listener: RunListener, options: { fromStart: boolean }): () => void {
    if (options.fromStart) for (const event of this.history) listener.event(event);
    if (this.ended) {
      listener.end(this.ended.record);
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The stored items after `seq`, as stored when this is called or later. */
  async itemsAfter(seq: number, store: RunStore): Promise<StoredItem[]> {
    await this.readNewItems(store);
    let first = this.storedItems.length;
    while (first > 0 && (this.storedItems[first - 1] as StoredItem).seq > seq) first--;
    return this.storedItems.slice(first);
  }

  /** An event as JSON text, serialised once however many watchers send it. */
  eventJson(event: RunEvent): string {
    return this.once(event, () => JSON.stringify(event));
  }

  /** A stored item as the events endpoint sends it, serialised once. */
  itemJson(stored: StoredItem): string {
    return this.once(stored, () => JSON.stringify(storedItemJson(stored)));
  }

  private once(value: object, serialise: () => string): string {
    let text = this.serialised.get(value);
    if (text === undefined) {
      text = serialise();
      this.serialised.set(value, text);
    }
    return text;
  }

  /**
   * One store read at a time. A caller arriving during a read may need an item stored after it
   * began, so it waits for the next read, which everyone arriving meanwhile shares.
   */
  private readNewItems(store: RunStore): Promise<void> {
    if (!this.reading) {
      const after = this.storedItems.at(-1)?.seq ?? -1;
      this.reading = store
        .listItems(this.id, after)
        .then((fresh) => void this.storedItems.push(...fresh))
        .finally(() => (this.reading = undefined));
      return this.reading;
    }
    this.readingNext ??= this.reading
      .catch(() => undefined)
      .then(() => {
        this.readingNext = undefined;
        return this.readNewItems(store);
      });
    return this.readingNext;
  }

  private async broadcast(): Promise<RunRecord | undefined> {
    for await (const event of this.handle.events()) {
      this.history.push(event);
      for (const listener of this.listeners) listener.event(event);
    }
    const record = await this.handle.result.catch(logged(log, "error", "a live run ended without a result"));
    this.ended = { record };
    for (const listener of this.listeners) listener.end(record);
    this.listeners.clear();
    return record;
  }
}

/** The runs this server process is advancing, by id: the ones that can be steered and followed live. */
export class LiveRuns {
  private readonly runs = new Map<string, LiveRun>();

  add(handle: RunHandle, tenant: string | undefined): LiveRun {
    const live = new LiveRun(handle, tenant);
    this.runs.set(handle.id, live);
    void live.finished.then(() => {
      if (this.runs.get(handle.id) === live) this.runs.delete(handle.id);
    });
    return live;
  }

  get(id: string): LiveRun | undefined {
    return this.runs.get(id);
  }

  all(): LiveRun[] {
    return [...this.runs.values()];
  }
}
