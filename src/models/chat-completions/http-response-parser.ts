// An incremental HTTP/1.1 response parser for the model client's own connections: the status
// line, the headers, and a body framed by Content-Length, by chunked transfer coding, or by the
// connection's end. Bytes go in as the socket gives them, split anywhere. Informational (1xx)
// responses are skipped. Content codings are not decoded: the client asks for none.

export type ResponseHead = {
  status: number;
  /** Lower-case names; a repeated header's values joined with ", ". */
  headers: Record<string, string>;
  /** Whether the connection may carry another request after this response. */
  keepAlive: boolean;
};

/** What the parser found; when `done` turns true after a `push` or `end`, the response is complete. */
export type ResponseParserHandlers = {
  head(head: ResponseHead): void;
  body(chunk: Buffer): void;
};

/** Bytes that are not an HTTP/1.x response, or a response cut short by the connection's end. */
export class HttpResponseError extends Error {
  constructor(
    message: string,
    readonly code: "HPE_INVALID_RESPONSE" | "ECONNRESET",
  ) {
    super(message);
    this.name = "HttpResponseError";
  }
}

// A response head larger than this is not a model server's: refuse it rather than buffer without end.
const maxHeadBytes = 64 * 1024;

type State = "head" | "length" | "chunk-size" | "chunk-data" | "chunk-end" | "trailers" | "until-close" | "done";

export class HttpResponseParser {
  private state: State = "head";
  private pending: Buffer | undefined;
  /** Body bytes still to come: of the Content-Length, or of the current chunk. */
  private remaining = 0;
  /** Bytes came after the response's end: the connection is out of step and must not be reused. */
  overrun = false;

  constructor(private readonly handlers: ResponseParserHandlers) {}

  get done(): boolean {
    return this.state === "done";
  }

  /** Whether any byte of a response has arrived. */
  get started(): boolean {
    return this.state !== "head" || this.pending !== undefined;
  }

  push(chunk: Buffer): void {
    let data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    while (data.length > 0 && this.state !== "done") data = this.step(data);
    if (data.length > 0) this.overrun = true;
  }

  /** The connection ended: completes a body framed by it; anything else was cut short. */
  end(): void {
    if (this.state === "done") return;
    if (this.state === "until-close") {
      this.finish();
      return;
    }
    throw new HttpResponseError(
      this.started
        ? "The server closed the connection before the response ended (socket hang up)."
        : "The server closed the connection without a response (socket hang up).",
      "ECONNRESET",
    );
  }

  /** Consumes what it can of `data`; returns the rest (kept for later when a line is incomplete). */
  private step(data: Buffer): Buffer {
    switch (this.state) {
      case "head":
        return this.readHead(data);
      case "length":
      case "chunk-data":
      case "until-close":
        return this.readBody(data);
      default:
        // chunk-size, chunk-end, trailers ("done" never gets here: push stops first).
        return this.readChunkLine(data);
    }
  }

  private readHead(data: Buffer): Buffer {
    const end = data.indexOf("\r\n\r\n");
    if (end === -1) {
      if (data.length > maxHeadBytes)
        throw new HttpResponseError(`The response head is longer than ${maxHeadBytes} bytes.`, "HPE_INVALID_RESPONSE");
      this.pending = data;
      return data.subarray(data.length);
    }
    const lines = data.toString("latin1", 0, end).split("\r\n");
    const statusLine = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/.exec(lines[0] as string);
    if (!statusLine)
      throw new HttpResponseError(
        `Not an HTTP/1.x response: ${JSON.stringify((lines[0] as string).slice(0, 80))}.`,
        "HPE_INVALID_RESPONSE",
      );
    const status = Number(statusLine[2]);
    const headers: Record<string, string> = {};
    for (let index = 1; index < lines.length; index++) {
      const line = lines[index] as string;
      const colon = line.indexOf(":");
      if (colon <= 0)
        throw new HttpResponseError(`A malformed response header: ${JSON.stringify(line.slice(0, 80))}.`, "HPE_INVALID_RESPONSE");
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    const rest = data.subarray(end + 4);
    if (status < 200) return rest;
    const connection = headers.connection?.toLowerCase() ?? "";
    const keepAlive = statusLine[1] === "1" ? !connection.includes("close") : connection.includes("keep-alive");
    const chunked = headers["transfer-encoding"]?.toLowerCase().includes("chunked") ?? false;
    const length = headers["content-length"];
    // Without a length, a body ends with the connection, which then cannot be kept.
    this.handlers.head({ status, headers, keepAlive: keepAlive && (chunked || length !== undefined || status === 204 || status === 304) });
    if (chunked) this.state = "chunk-size";
    else if (status === 204 || status === 304) this.finish();
    else if (length !== undefined) {
      if (!/^\d+$/.test(length))
        throw new HttpResponseError(`A malformed Content-Length: ${JSON.stringify(length.slice(0, 40))}.`, "HPE_INVALID_RESPONSE");
      this.remaining = Number(length);
      this.state = "length";
      if (this.remaining === 0) this.finish();
    } else this.state = "until-close";
    return rest;
  }

  private readBody(data: Buffer): Buffer {
    if (this.state === "until-close") {
      this.handlers.body(data);
      return data.subarray(data.length);
    }
    const take = Math.min(this.remaining, data.length);
    this.remaining -= take;
    this.handlers.body(take === data.length ? data : data.subarray(0, take));
    if (this.remaining === 0) {
      if (this.state === "length") this.finish();
      else this.state = "chunk-end";
    }
    return data.subarray(take);
  }

  /** A chunk's size line, the CRLF after its data, or a trailer line (the last chunk's). */
  private readChunkLine(data: Buffer): Buffer {
    const end = data.indexOf("\r\n");
    if (end === -1) {
      if (data.length > maxHeadBytes) throw new HttpResponseError("A chunk line that does not end.", "HPE_INVALID_RESPONSE");
      this.pending = data;
      return data.subarray(data.length);
    }
    const line = data.toString("latin1", 0, end);
    const rest = data.subarray(end + 2);
    if (this.state === "chunk-end") {
      if (line !== "") throw new HttpResponseError("A chunk longer than its size.", "HPE_INVALID_RESPONSE");
      this.state = "chunk-size";
    } else if (this.state === "trailers") {
      if (line === "") this.finish();
    } else {
      // Chunk extensions (";name=value") are allowed and mean nothing here.
      const size = /^([0-9a-fA-F]{1,12})[ \t]*(?:;.*)?$/.exec(line);
      if (!size) throw new HttpResponseError(`A malformed chunk size: ${JSON.stringify(line.slice(0, 40))}.`, "HPE_INVALID_RESPONSE");
      this.remaining = Number.parseInt(size[1] as string, 16);
      this.state = this.remaining === 0 ? "trailers" : "chunk-data";
    }
    return rest;
  }

  private finish(): void {
    this.state = "done";
  }
}
