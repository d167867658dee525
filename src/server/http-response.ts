import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { finished } from "node:stream";
import { errorBody, type HttpError } from "./http-error.js";

/**
 * How much of a request body the server reads and throws away after answering early (a 413, a
 * 415 for a body it will not read): enough for the client to finish sending and read the answer,
 * bounded so that nobody can keep the connection busy. Past it the connection is cut.
 */
const discardLimitBytes = 256 * 1024 * 1024;

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  sendBody(response, status, { ...headers, "content-type": "application/json; charset=utf-8" }, JSON.stringify(body));
}

export function sendError(response: ServerResponse, error: HttpError): void {
  sendJson(response, error.status, errorBody(error), error.details.headers);
}

/**
 * Sends a complete answer. When the request's body has not been read (the answer refuses it),
 * closing the connection at once would reset it while the client is still sending, and the client
 * would see a reset instead of the answer. So the answer goes out with `Connection: close`, the
 * rest of the body is read and discarded (up to discardLimitBytes), and only then does it end.
 */
export function sendBody(response: ServerResponse, status: number, headers: OutgoingHttpHeaders, text: string): void {
  const request = response.req as IncomingMessage | undefined;
  const fullHeaders = { ...headers, "content-length": Buffer.byteLength(text) };
  if (!request || !hasUnreadBody(request)) {
    response.writeHead(status, fullHeaders);
    response.end(text);
    return;
  }
  response.writeHead(status, { ...fullHeaders, connection: "close" });
  response.write(text);
  let discarded = 0;
  request.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > discardLimitBytes) request.socket.destroy();
  });
  finished(request, () => response.end());
  request.resume();
}

function hasUnreadBody(request: IncomingMessage): boolean {
  if (request.complete || request.readableEnded) return false;
  const length = request.headers["content-length"];
  return request.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}
