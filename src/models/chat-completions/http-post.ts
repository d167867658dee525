// A JSON POST over node:http(s) with kept-alive connections: the transport of the Chat
// Completions client. It is here rather than `fetch` for speed: undici's fetch wraps every
// response in WHATWG Request/Response objects and web streams, which measured ~15% slower for
// the same requests under fan-out (bench/fan-out.ts), and a model call is the harness's hottest
// path. Errors stay Node's own (`code` = ECONNREFUSED, ECONNRESET...), which model-call-errors.ts
// maps to messages.

import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { abortErrorOf } from "../../core/abort.js";

export type HttpResponse = {
  status: number;
  headers: Record<string, string | undefined>;
  /** The body as it arrives; destroy it to stop reading. */
  body: IncomingMessage;
};

// One pool per protocol for the process: runs talking to the same provider share connections.
// Node keeps 256 idle connections by default; a fan-out of a thousand runs would close the rest
// after every turn and open (for HTTPS: handshake) them again for the next.
const pool = { keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, maxFreeSockets: 2048 };
const httpAgent = new HttpAgent(pool);
const httpsAgent = new HttpsAgent(pool);

/** Sends `body` and resolves once the response headers arrived; rejects on network failure or abort. */
export function postJson(url: URL, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<HttpResponse> {
  if (signal.aborted) return Promise.reject(abortErrorOf(signal));
  const secure = url.protocol === "https:";
  return new Promise<HttpResponse>((resolve, reject) => {
    const outgoing = (secure ? httpsRequest : httpRequest)(
      url,
      {
        method: "POST",
        agent: secure ? httpsAgent : httpAgent,
        headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (response) => {
        const responseHeaders: Record<string, string | undefined> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          responseHeaders[name] = Array.isArray(value) ? value.join(", ") : value;
        }
        resolve({ status: response.statusCode ?? 0, headers: responseHeaders, body: response });
      },
    );
    // Aborting destroys the request, and with it a response still being read. One listener
    // instead of the `signal` option, which also watches the stream's end through several.
    const onAbort = () => outgoing.destroy(abortErrorOf(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    outgoing.once("close", () => signal.removeEventListener("abort", onAbort));
    outgoing.on("error", (error) => reject(signal.aborted ? abortErrorOf(signal) : error));
    outgoing.end(body);
  });
}

/** The whole body as text. */
export function readText(body: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    body.on("data", (chunk: Buffer) => chunks.push(chunk));
    body.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    body.once("error", reject);
    // Destroyed without an error (its request was aborted): it ends neither way.
    body.once("close", () => {
      if (!body.complete) reject(new Error("The response was closed before it ended."));
    });
  });
}
