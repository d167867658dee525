import type { ServerResponse } from "node:http";
import { clientToolNames, type RunRecord } from "../core/run.js";
import { EventStream } from "./event-stream.js";
import type { LiveRun } from "./live-runs.js";
import { responseObject, runPlace, type ResponseOptions } from "./response-object.js";
import { ResponseEventRecorder } from "./response-event-recorder.js";
import { ResponseEventWriter, type ResponseEvent } from "./response-stream-events.js";
import { endEventType } from "./response-stream-resume.js";
import { followRun } from "./run-outcome.js";
import { toolFree } from "./turn-text-hold.js";
import type { ServerState } from "./server-state.js";

/**
 * Streams a response as its run goes (see response-stream-events.ts for the events). A
 * background response's events are also recorded, so a client can resume it from any server;
 * they go on being recorded when the client leaves, whose run goes on. Any other response's run
 * is cancelled when its client leaves.
 */
export async function streamLiveResponse(
  state: ServerState,
  response: ServerResponse,
  live: LiveRun,
  started: RunRecord,
  shape: ResponseOptions,
): Promise<void> {
  const events = new EventStream(response);
  const background = shape.background === true;
  if (!background) events.onClientGone(() => live.handle.cancel());
  const recorder = background && state.responseEvents ? new ResponseEventRecorder(state.responseEvents, live.id) : undefined;
  let sequence = 0;
  const emit = (event: ResponseEvent) => {
    const numbered = { ...event, sequence_number: sequence++ };
    events.send(numbered, { event: event.type });
    recorder?.add(numbered.sequence_number, numbered);
  };
  const opening = { ...responseObject(started, [], shape), status: started.status === "queued" ? "queued" : "in_progress" };
  emit({ type: "response.created", response: opening });
  emit({ type: "response.in_progress", response: { ...opening, status: "in_progress" } });
  const writer = new ResponseEventWriter(emit, runPlace(started), {
    ...shape,
    clientTools: clientToolNames(started.spec),
    toolFree: toolFree(started.spec),
    answerChecked: started.spec.answerFormat !== undefined,
  });
  await followRun(live, (event) => writer.take(event));
  writer.finish();
  const record = await state.store.getRun(live.id);
  if (record) {
    const items = (await state.store.listItems(live.id)).map((stored) => stored.item);
    const final = responseObject(record, items, shape);
    emit({ type: endEventType(final.status), response: final });
  }
  await recorder?.flush();
  events.end();
}

/** A background response that is not streamed: its opening event is recorded, which marks it as background. */
export async function recordBackground(state: ServerState, record: RunRecord, shape: ResponseOptions): Promise<void> {
  const created = { type: "response.created", response: responseObject(record, [], shape), sequence_number: 0 };
  await state.responseEvents?.append(record.id, [{ sequence: 0, json: JSON.stringify(created) }]);
}
