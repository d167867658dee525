import type { RunEvent } from "../../core/events.js";
import { isAdvancingElsewhere } from "../advancing-elsewhere.js";
import { EventStream } from "../event-stream.js";
import type { RequestContext, Route } from "../router.js";
import { visibleRun } from "../run-access.js";
import { runEventSchema } from "../response-body-schemas.js";
import { storedItemJson } from "../run-view.js";
import { logger } from "../../logging/logger.js";

const log = logger("server");

/** Often enough to feel live for a run a worker advances; each poll is two indexed reads. */
const pollIntervalMs = 300;

/**
 * `GET /v1/runs/{id}/events`: the run's stored items (event `item`, SSE id = the item's `seq`),
 * then, while the run advances in this server, its live events (deltas, status), each new item
 * again as an `item` event with its seq. A run queued or advanced by another process (a worker)
 * has no live events here: its new items are polled from the store until it stops. Reconnecting
 * with `Last-Event-ID` replays only the items after that seq. The stream ends with a `done` event carrying the run's status.
 */
async function runEvents({ request, response, state, caller, params }: RequestContext): Promise<void> {
  const record = await visibleRun(state, caller, params.id as string);
  const lastEventId = Number.parseInt(String(request.headers["last-event-id"] ?? ""), 10);
  let lastSeq = Number.isSafeInteger(lastEventId) && lastEventId >= 0 ? lastEventId : -1;
  const events = new EventStream(response);
  // Every item is read from the store, so its seq is the durable one whether it was stored before or after the client came.
  const sendNewItems = async () => {
    // A live run's watchers share one read and one serialisation of each item (live-runs.ts).
    const fresh = live ? await live.itemsAfter(lastSeq, state.store) : await state.store.listItems(record.id, lastSeq);
    for (const stored of fresh) {
      lastSeq = stored.seq;
      events.send(live ? live.itemJson(stored) : storedItemJson(stored), { event: "item", id: stored.seq });
    }
  };
  const live = state.live.get(record.id);
  if (!live) {
    let current = record;
    try {
      // The record is read before the items: items saved with a final status are still sent.
      while (isAdvancingElsewhere(current) && !events.closed && !state.closing) {
        await sendNewItems();
        await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
        current = (await state.store.getRun(record.id)) ?? current;
      }
      await sendNewItems();
    } catch {
      // A store that fails mid-stream (closed at shutdown) ends the stream; the client reconnects with Last-Event-ID.
      events.end();
      return;
    }
    events.send({ status: current.status }, { event: "done" });
    events.end();
    return;
  }
  // Subscribe before reading the store, and read the store again after each item: nothing falls between the two.
  let reading = Promise.resolve();
  // A store that fails mid-stream (closed at shutdown) ends the stream; the client reconnects with Last-Event-ID.
  const readNewItems = () => {
    reading = reading.then(sendNewItems).catch((error: unknown) => {
      log.warn({ err: error, runId: record.id }, "an event stream's store read failed; the stream ends");
      events.end();
    });
  };
  const ended = new Promise<void>((resolve) => {
    const unsubscribe = live.subscribe(
      {
        event: (event: RunEvent) => {
          if (event.type === "item-added") readNewItems();
          else events.send(live.eventJson(event), { event: event.type });
        },
        end: () => resolve(),
      },
      { fromStart: false },
    );
    events.onClientGone(() => {
      unsubscribe();
      resolve();
    });
  });
  readNewItems();
  await ended;
  readNewItems();
  await reading;
  const final = await state.store.getRun(record.id);
  events.send({ status: final?.status ?? record.status }, { event: "done" });
  events.end();
}

export const runEventRoutes: Route[] = [
  {
    method: "GET",
    path: "/v1/runs/:id/events",
    handle: runEvents,
    doc: {
      summary: "The run's items, then its live events, as server-sent events (resume with Last-Event-ID)",
      responses: { 200: { description: "The events", eventStream: { json: runEventSchema } } },
    },
  },
];
