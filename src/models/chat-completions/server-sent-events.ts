// The `data` of each server-sent event in a byte stream (eventsource-parser, as the web UI).
// Chat Completions uses only `data`.

import { StringDecoder } from "node:string_decoder";
import { createParser } from "eventsource-parser";

export async function* serverSentEventData(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  const ready: string[] = [];
  const parser = createParser({ onEvent: (event) => ready.push(event.data) });
  for await (const chunk of chunks) {
    parser.feed(typeof chunk === "string" ? chunk : decoder.write(chunk));
    yield* ready.splice(0);
  }
  // A stream that ends without the final blank line still delivers its last event.
  parser.feed(`${decoder.end()}\n\n`);
  yield* ready.splice(0);
}
