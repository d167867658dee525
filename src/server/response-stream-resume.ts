import type { ServerResponse } from "node:http";
import { finishedStatuses, clientToolNames, type RunRecord } from "../core/run.js";
import { EventStream } from "./event-stream.js";
import { responseObject, runPlace, type ResponseOptions } from "./response-object.js";
import { ResponseEventWriter, type ResponseEvent } from "./response-stream-events.js";
import type { RecordedEvent } from "./response-event-log.js";
import type { ServerState } from "./server-state.js";

/** How often a resumed stream looks for events the live one (on this server or another) recorded. */
const pollMs = 50;

const terminalTypes = new Set(["response.completed", "response.failed", "response.incomplete"]);
const openingTypes = new Set(["response.created", "response.in_progress", "response.queued"]);

export function endEventType(status: string): string {
  return status === "completed" ? "response.completed" : status === "failed" ? "response.failed" : "response.incomplete";
}

/**
 * A stopped run's whole stream as derived from its stored items: the opening events, each item's
 * events (text as one delta), the ending. The same items always give the same events, numbered
 * from 0, so two reads of it agree.
 */
export function derivedEvents(record: RunRecord, items: Parameters<typeof responseObject>[1], shape: ResponseOptions): RecordedEvent[] {
  const events: ResponseEvent[] = [];
  const emit = (event: ResponseEvent) => events.push(event);
  const opening = { ...responseObject(record, [], shape), status: "in_progress", completed_at: null };
  emit({ type: "response.created", response: opening });
  emit({ type: "response.in_progress", response: opening });
  new ResponseEventWriter(emit, runPlace(record), { ...shape, clientTools: clientToolNames(record.spec) }).replay(items);
  const final = responseObject(record, items, shape);
  emit({ type: endEventType(final.status), response: final });
  return events.map((event, sequence) => ({ sequence, json: JSON.stringify({ ...event, sequence_number: sequence }) }));
}

/**
 * `GET /v1/responses/{id}?stream=true&starting_after=N`: the events after N. A background
 * response's stream is read from the store as its live stream records it (on whichever server
 * advances it), so the events and their numbers are the live ones. A stream that was not
 * recorded (a response that was not streamed live) is derived from the stored items once the run
 * stops; one whose recording stopped early (its server died) ends with the final response.
 */
export async function resumeResponseStream(
  state: ServerState,
  response: ServerResponse,
  runId: string,
  startingAfter: number,
  shape: ResponseOptions,
): Promise<void> {
  const events = new EventStream(response);
  const log = state.responseEvents;
  let last = startingAfter;
  let cursor = -1;
  let recordedAny = false;
  let onlyOpening = true;
  /** Sends the recorded events not yet sent; true once the stream's last event is among them. */
  const sendRecorded = async (): Promise<boolean> => {
    const recorded = log ? await log.read(runId, cursor) : [];
    let ended = false;
    for (const event of recorded) {
      const type = (JSON.parse(event.json) as { type: string }).type;
      recordedAny = true;
      onlyOpening &&= openingTypes.has(type);
      cursor = event.sequence;
      if (event.sequence > last) send(event, type);
      ended ||= terminalTypes.has(type);
    }
    return ended;
  };
  const send = (event: RecordedEvent, type: string) => {
    events.send(event.json, { event: type });
    last = event.sequence;
  };
  for (;;) {
    if ((await sendRecorded()) || events.closed) break;
    const record = await state.store.getRun(runId);
    if (record === undefined) break;
    const stopped = (finishedStatuses.includes(record.status) && !state.live.get(runId)) || record.status === "awaiting_approval";
    if (stopped) {
      // Once more: the run's last events may have been written since the last read.
      if (await sendRecorded()) break;
      const items = (await state.store.listItems(runId)).map((stored) => stored.item);
      const derived = derivedEvents(record, items, shape);
      if (!recordedAny || onlyOpening) {
        for (const event of derived) if (event.sequence > last) send(event, (JSON.parse(event.json) as { type: string }).type);
      } else {
        const final = JSON.parse((derived.at(-1) as RecordedEvent).json) as { type: string };
        const sequence = Math.max(last, cursor) + 1;
        send({ sequence, json: JSON.stringify({ ...final, sequence_number: sequence }) }, final.type);
      }
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  events.end();
}
