import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HttpResponseError, HttpResponseParser, type ResponseHead } from "../../src/models/chat-completions/http-response-parser.js";

type Parsed = { head?: ResponseHead; chunks: Buffer[]; readonly body: string; readonly complete: boolean; parser: HttpResponseParser };

/** Feeds `text` to a parser in pieces of `size` bytes (every split point, with size 1). */
function parse(text: string, size = text.length): Parsed {
  // Decoded once whole: a chunk boundary may fall inside a UTF-8 character.
  const parsed = {
    chunks: [] as Buffer[],
    get complete() {
      return this.parser.done;
    },
    get body() {
      return Buffer.concat(this.chunks).toString("utf8");
    },
  } as Parsed;
  parsed.parser = new HttpResponseParser({
    head: (head) => void (parsed.head = head),
    body: (chunk) => void parsed.chunks.push(Buffer.from(chunk)),
  });
  const bytes = Buffer.from(text, "utf8");
  for (let offset = 0; offset < bytes.length; offset += size) parsed.parser.push(bytes.subarray(offset, offset + size));
  return parsed;
}

function failure(action: () => void): HttpResponseError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof HttpResponseError, `not an HttpResponseError: ${String(error)}`);
    return error;
  }
  assert.fail("expected the parser to throw");
}

const chunkedReply =
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/event-stream\r\n\r\n5;ext=1\r\ndata:\r\nF\r\n {"x":"héllo"}\r\n0\r\nX-Trailer: yes\r\n\r\n';

describe("HttpResponseParser", () => {
  it("reads a Content-Length body whatever the byte boundaries, with lower-case headers joined", () => {
    const text = 'HTTP/1.1 200 OK\r\nContent-Length: 15\r\nSet-Cookie: a\r\nset-cookie: b\r\n\r\n{"answer":"ok"}';
    for (const size of [1, 2, 7, text.length]) {
      const parsed = parse(text, size);
      assert.equal(parsed.head?.status, 200);
      assert.equal(parsed.head?.headers["set-cookie"], "a, b");
      assert.equal(parsed.head?.keepAlive, true);
      assert.equal(parsed.body, '{"answer":"ok"}');
      assert.ok(parsed.complete && !parsed.parser.overrun);
    }
  });

  it("decodes chunked bodies split anywhere, skipping extensions and trailers, and keeps UTF-8 whole", () => {
    for (const size of [1, 3, 11, chunkedReply.length]) {
      const parsed = parse(chunkedReply, size);
      assert.equal(parsed.body, 'data: {"x":"héllo"}', `pieces of ${size}`);
      assert.ok(parsed.complete);
      assert.equal(parsed.head?.keepAlive, true);
    }
  });

  it("skips informational responses, and ends a 204 or a zero length at once", () => {
    const parsed = parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
    assert.equal(parsed.head?.status, 204);
    assert.ok(parsed.complete);
    assert.ok(parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").complete);
  });

  it("reads a body framed by the connection's end, and never keeps that connection", () => {
    const parsed = parse('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{"a":1}');
    assert.equal(parsed.complete, false);
    assert.equal(parsed.head?.keepAlive, false);
    parsed.parser.end();
    assert.ok(parsed.complete);
    assert.equal(parsed.body, '{"a":1}');
  });

  it("honours Connection: close, and HTTP/1.0 without keep-alive", () => {
    assert.equal(parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").head?.keepAlive, false);
    assert.equal(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").head?.keepAlive, false);
    assert.equal(parse("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n").head?.keepAlive, true);
  });

  it("marks bytes after the response's end, so the connection is not reused", () => {
    const parsed = parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200");
    assert.equal(parsed.body, "ok");
    assert.ok(parsed.complete && parsed.parser.overrun);
  });

  it("refuses what is not HTTP/1.x, malformed headers, lengths and chunk sizes", () => {
    assert.equal(failure(() => parse("SSH-2.0-OpenSSH\r\n\r\n")).code, "HPE_INVALID_RESPONSE");
    assert.match(failure(() => parse("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")).message, /malformed response header/);
    assert.match(failure(() => parse("HTTP/1.1 200 OK\r\nContent-Length: -4\r\n\r\n")).message, /Content-Length/);
    assert.match(failure(() => parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")).message, /chunk size/);
    assert.match(failure(() => parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n")).message, /longer than its size/);
    assert.match(failure(() => parse(`HTTP/1.1 200 OK\r\nX: ${"a".repeat(70_000)}`)).message, /longer than/);
  });

  it("says a response was cut short when the connection ends early, as a retryable reset", () => {
    const cut = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
    const error = failure(() => cut.parser.end());
    assert.equal(error.code, "ECONNRESET");
    assert.match(error.message, /before the response ended/);
    assert.match(failure(() => parse("").parser.end()).message, /without a response/);
  });
});
