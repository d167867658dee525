import type { RunEvent } from "../core/events.js";
import type { RunRecord } from "../core/run.js";
import type { RunHandle } from "../library/run-handle.js";
import { logged, logger } from "../logging/logger.js";
import type { RunStore } from "../store/run-store.js";
import { RunEventFeed } from "./run-event-feed.js";

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
  /** The clients of `GET /v1/runs/{id}/events` share this (run-event-feed.ts). */
  private feed: { events: RunEventFeed; unsubscribe: () => void } | undefined;
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

  /** The feed of this run's events for `GET /v1/runs/{id}/events`, made with its first watcher. */
  eventFeed(store: RunStore): RunEventFeed {
    if (!this.feed || this.feed.events.failed) {
      this.feed?.unsubscribe();
      const events = new RunEventFeed(this.id, store);
      this.feed = { events, unsubscribe: this.subscribe(events.listener, { fromStart: false }) };
    }
    return this.feed.events;
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
