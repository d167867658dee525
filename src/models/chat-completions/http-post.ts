// A JSON POST with kept-alive connections: the transport of the Chat Completions client. It is
// here rather than `fetch` for speed: undici's fetch wraps every response in WHATWG
// Request/Response objects and web streams, which measured ~15% slower for the same requests
// under fan-out (bench/fan-out.ts), and a model call is the harness's hottest path. Plain HTTP
// (local servers) goes over Ponder's own HTTP/1.1 exchange (plain-http-exchange.ts); HTTPS over
// node:https. Errors stay Node's own (`code` = ECONNREFUSED, ECONNRESET...), or the connect
// and idle timeouts' (model-call-timeouts.ts), which model-call-errors.ts maps to messages.

import type { IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from "node:https";
import type { TLSSocket } from "node:tls";
import { abortErrorOf } from "../../core/abort.js";
import { callTimeoutError, type ModelCallTimeouts } from "../model-call-timeouts.js";
import { plainPost } from "./plain-http-exchange.js";
import { type HttpResponse, IncomingResponseBody } from "./response-body.js";

export type { HttpResponse } from "./response-body.js";

// One pool for the process: runs talking to the same provider share connections. Node keeps
// 256 idle connections by default; a fan-out of a thousand runs would close the rest after
// every turn and open (with a TLS handshake) them again for the next.
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, maxFreeSockets: 2048 });

// What HTTP allows in a header name, and what it does not allow in a value (node:http's rules).
const headerName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const invalidValueCharacter = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Where a client posts, worked out once: for HTTPS, node:https's options and the header lines
 * (as name, value pairs, which ClientRequest stores as they are); for plain HTTP, the request's
 * head up to its Content-Length. A header HTTP does not allow makes every request fail with
 * `problem`, which says which one.
 */
export type PostTarget = {
  secure: boolean;
  options: RequestOptions & { hostname: string; port: number };
  headerPairs: string[];
  /** The request line and headers, for plain HTTP; each request adds Content-Length and the blank line. */
  plainHead: string;
  timeouts: ModelCallTimeouts;
  problem?: string;
};

export function postTarget(url: URL, headers: Record<string, string>, timeouts: ModelCallTimeouts): PostTarget {
  const secure = url.protocol === "https:";
  const path = `${url.pathname}${url.search}`;
  const options = {
    method: "POST",
    agent: httpsAgent,
    // URL keeps IPv6 hosts in brackets; the socket wants them bare.
    hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port === "" ? (secure ? 443 : 80) : Number(url.port),
    path,
  };
  // Names are case-insensitive: a configured "Authorization" replaces ours, as setHeader would.
  // The pairs skip ClientRequest's own Host header: `url.host` is it (with the port unless default).
  const all = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  all.set("host", url.host).set("content-type", "application/json");
  // Credentials in the base URL (a proxy in front of Ollama) as node:http sends them for a URL: when no key is set.
  if ((url.username !== "" || url.password !== "") && !all.has("authorization")) {
    all.set(
      "authorization",
      `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64")}`,
    );
  }
  const invalid = [...all].find(([name, value]) => !headerName.test(name) || invalidValueCharacter.test(value));
  const plainHead = `POST ${path} HTTP/1.1\r\n${[...all].map(([name, value]) => `${name}: ${value}\r\n`).join("")}connection: keep-alive\r\n`;
  return {
    secure,
    options,
    headerPairs: [...all].flat(),
    plainHead,
    timeouts,
    ...(invalid && {
      problem: `The HTTP header "${invalid[0]}" for ${url.origin} has a character HTTP does not allow (a line break or a control character, often at the end of a key pasted from a file): check the API key and the configured headers.`,
    }),
  };
}

/** Sends `body` and resolves once the response headers arrived; rejects on network failure or abort. */
export function postJson(target: PostTarget, body: Buffer, signal: AbortSignal): Promise<HttpResponse> {
  if (target.problem) return Promise.reject(new TypeError(target.problem));
  if (!target.secure) {
    const head = Buffer.from(`${target.plainHead}content-length: ${body.length}\r\n\r\n`, "latin1");
    return plainPost(target.options, head, body, target.timeouts, signal);
  }
  if (signal.aborted) return Promise.reject(abortErrorOf(signal));
  const { connectTimeoutMs, idleTimeoutMs } = target.timeouts;
  return new Promise<HttpResponse>((resolve, reject) => {
    let incoming: IncomingMessage | undefined;
    const outgoing = httpsRequest(
      { ...target.options, headers: [...target.headerPairs, "content-length", String(body.length)] },
      (response) => {
        incoming = response;
        const responseHeaders: Record<string, string | undefined> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          responseHeaders[name] = Array.isArray(value) ? value.join(", ") : value;
        }
        resolve({ status: response.statusCode ?? 0, headers: responseHeaders, body: new IncomingResponseBody(response) });
      },
    );
    // A timeout fails the request, and the response being read with the same error.
    const timeOut = (kind: "connect" | "idle", timeoutMs: number) => {
      const error = callTimeoutError(kind, timeoutMs);
      incoming?.destroy(error);
      outgoing.destroy(error);
    };
    // The socket's idle timer runs once it is connected (node:http arms it then); a new
    // connection's handshake has its own timer until it is secure.
    outgoing.setTimeout(idleTimeoutMs, () => timeOut("idle", idleTimeoutMs));
    outgoing.once("socket", (socket: TLSSocket) => {
      if (!socket.connecting) return;
      const connectTimer = setTimeout(() => timeOut("connect", connectTimeoutMs), connectTimeoutMs);
      socket.once("secureConnect", () => clearTimeout(connectTimer));
      socket.once("close", () => clearTimeout(connectTimer));
    });
    // Aborting destroys the request, and with it a response still being read. One listener
    // instead of the `signal` option, which also watches the stream's end through several.
    const onAbort = () => outgoing.destroy(abortErrorOf(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    outgoing.once("close", () => signal.removeEventListener("abort", onAbort));
    outgoing.on("error", (error) => reject(signal.aborted ? abortErrorOf(signal) : error));
    outgoing.end(body);
  });
}
