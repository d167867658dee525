// A text/event-stream reader over fetch. EventSource cannot send an Authorization header, so the
// page reads the body stream itself; eventsource-parser splits it into events, as on the server.
import { EventSourceParserStream } from "eventsource-parser/stream";

export type ServerSentEvent = { event: string; id: string | undefined; data: string };

/** The events of a stream body, in order, as they arrive. Ends when the body ends. */
export async function* readServerSentEvents(body: ReadableStream<BufferSource>): AsyncGenerator<ServerSentEvent> {
  const reader = body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield { event: value.event ?? "message", id: value.id, data: value.data };
    }
  } finally {
    reader.releaseLock();
  }
}
