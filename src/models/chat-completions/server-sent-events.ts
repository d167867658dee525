// The `data` of each server-sent event in a byte stream, per the WHATWG event-stream format:
// lines end in \n, \r\n or \r; `data:` lines of one event join with \n; a blank line ends the
// event; comments (`:`) and other fields are skipped. Chat Completions uses only `data`.

import { StringDecoder } from "node:string_decoder";

export async function* serverSentEventData(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  let data: string[] = [];
  for await (const chunk of chunks) {
    pending += typeof chunk === "string" ? chunk : decoder.write(chunk);
    let start = 0;
    const hasCarriageReturn = pending.includes("\r");
    for (;;) {
      const end = hasCarriageReturn ? lineEnd(pending, start) : pending.indexOf("\n", start);
      if (end === -1) break;
      const line = pending.slice(start, end);
      // A \r at the very end may be the first half of \r\n: wait for the next chunk to know.
      if (pending[end] === "\r" && end + 1 === pending.length) break;
      start = end + (pending[end] === "\r" && pending[end + 1] === "\n" ? 2 : 1);
      if (line.length === 0) {
        if (data.length > 0) yield data.join("\n");
        data = [];
      } else if (line.startsWith("data:")) {
        data.push(line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5));
      }
    }
    pending = pending.slice(start);
  }
  // A stream that ends without the final blank line still delivers its last event.
  pending += decoder.end();
  if (pending.startsWith("data:")) data.push(pending.charCodeAt(5) === 32 ? pending.slice(6) : pending.slice(5));
  if (data.length > 0) yield data.join("\n");
}

function lineEnd(text: string, from: number): number {
  const newline = text.indexOf("\n", from);
  const carriageReturn = text.indexOf("\r", from);
  if (carriageReturn === -1) return newline;
  if (newline === -1) return carriageReturn;
  return Math.min(newline, carriageReturn);
}
