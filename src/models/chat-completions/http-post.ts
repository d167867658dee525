// A JSON POST over node:http(s) with kept-alive connections: the transport of the Chat
// Completions client. It is here rather than `fetch` for speed: undici's fetch wraps every
// response in WHATWG Request/Response objects and web streams, which measured ~15% slower for
// the same requests under fan-out (bench/fan-out.ts), and a model call is the harness's hottest
// path. Errors stay Node's own (`code` = ECONNREFUSED, ECONNRESET...), which model-call-errors.ts
// maps to messages.

import { Agent as HttpAgent, type IncomingMessage, type RequestOptions, request as httpRequest } from "node:http";
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

/**
 * Where a client posts, worked out once: node:http's options and the header lines (as name,
 * value pairs, which ClientRequest stores as they are instead of one setHeader call each; it
 * still validates them).
 */
export type PostTarget = { secure: boolean; options: RequestOptions; headerPairs: string[] };

export function postTarget(url: URL, headers: Record<string, string>): PostTarget {
  const secure = url.protocol === "https:";
  const options: RequestOptions = {
    method: "POST",
    agent: secure ? httpsAgent : httpAgent,
    // URL keeps IPv6 hosts in brackets; the socket wants them bare.
    hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port === "" ? (secure ? 443 : 80) : Number(url.port),
    path: `${url.pathname}${url.search}`,
  };
  // Names are case-insensitive: a configured "Authorization" replaces ours, as setHeader would.
  // The pairs skip ClientRequest's own Host header: `url.host` is it (with the port unless default).
  const all = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  all.set("host", url.host).set("content-type", "application/json");
  // Credentials in the base URL (a proxy in front of Ollama) as node:http sends them for a URL: when no key is set.
  if ((url.username !== "" || url.password !== "") && !all.has("authorization")) {
    all.set("authorization", `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64")}`);
  }
  return { secure, options, headerPairs: [...all].flat() };
}

/** Sends `body` and resolves once the response headers arrived; rejects on network failure or abort. */
export function postJson(target: PostTarget, body: Buffer, signal: AbortSignal): Promise<HttpResponse> {
  if (signal.aborted) return Promise.reject(abortErrorOf(signal));
  return new Promise<HttpResponse>((resolve, reject) => {
    const outgoing = (target.secure ? httpsRequest : httpRequest)(
      { ...target.options, headers: [...target.headerPairs, "content-length", String(body.length)] },
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
