import { isAdvancingElsewhere } from "../advancing-elsewhere.js";
import { EventStream } from "../event-stream.js";
import type { RequestContext, Route } from "../router.js";
import { canSee, visibleRun } from "../run-access.js";
import { runEventSchema } from "../response-body-schemas.js";
import { storedItemJson } from "../run-view.js";

/** Often enough to feel live for a run a worker advances; each poll is two indexed reads. */
const pollIntervalMs = 300;

/**
 * `GET /v1/runs/{id}/events`: the run's stored items (event `item`, SSE id = the item's `seq`),
 * then, while the run advances in this server, its live events (deltas, status), each new item
 * again as an `item` event with its seq (run-event-feed.ts: all of a run's watchers share one
 * feed, which the run never waits for; a watcher that falls far behind misses live events, not
 * items). A run queued or advanced by another process (a worker) has no live events here: its
 * new items are polled from the store until it stops. Reconnecting with `Last-Event-ID` replays
 * only the items after that seq. The stream ends with a `done` event carrying the run's status.
 */
async function runEvents({ request, response, state, caller, params }: RequestContext): Promise<void> {
  const runId = params.id as string;
  const lastEventId = Number.parseInt(String(request.headers["last-event-id"] ?? ""), 10);
  let lastSeq = Number.isSafeInteger(lastEventId) && lastEventId >= 0 ? lastEventId : -1;
  // A live run the caller may see needs no store read here: its feed reads the store for everyone.
  const seen = state.live.get(runId);
  if (seen && canSee(caller, seen)) return seen.eventFeed(state.store).watch(new EventStream(response), lastSeq);
  const record = await visibleRun(state, caller, runId);
  const live = state.live.get(runId);
  if (live) return live.eventFeed(state.store).watch(new EventStream(response), lastSeq);
  const events = new EventStream(response);
  // Every item is read from the store, so its seq is the durable one whether it was stored before or after the client came.
  const sendNewItems = async () => {
    for (const item of await state.store.listItems(runId, lastSeq)) {
      lastSeq = item.seq;
      events.send(storedItemJson(item), { event: "item", id: item.seq });
    }
  };
  let current = record;
  try {
    // The record is read before the items: items saved with a final status are still sent.
    while (isAdvancingElsewhere(current) && !events.closed && !state.closing) {
      await sendNewItems();
      await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
      current = (await state.store.getRun(runId)) ?? current;
    }
    await sendNewItems();
  } catch {
    // A store that fails mid-stream (closed at shutdown) ends the stream; the client reconnects with Last-Event-ID.
    events.end();
    return;
  }
  events.send({ status: current.status }, { event: "done" });
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
