// A JSON POST: the transport of the Chat Completions client, undici's `request` over the
// process's Agent for the call's timeouts (undici-agents.ts): kept-alive connections, a
// streaming body with backpressure, the run's AbortSignal stopping the request or its body.
// Errors stay undici's and Node's own (`code` = ECONNREFUSED, UND_ERR_SOCKET,
// UND_ERR_*_TIMEOUT...), which model-call-errors.ts maps to messages; a call that failed is
// retried by retry.ts, and only there (a kept-alive connection the server closed included).

import type { Dispatcher } from "undici";
import type { ModelCallTimeouts } from "../model-call-timeouts.js";
import { undiciAgent } from "../undici-agents.js";

export type HttpResponse = {
  status: number;
  headers: Record<string, string | undefined>;
  /** The body as it arrives (a Readable with `text()`); destroy it to stop reading. */
  body: Dispatcher.ResponseData["body"];
};

// What HTTP allows in a header name, and what it does not allow in a value (node:http's rules).
const headerName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const invalidValueCharacter = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Where a client posts, worked out once. A header HTTP does not allow makes every request fail
 * with `problem`, which says which one (undici's own message names no cause).
 */
export type PostTarget = {
  origin: string;
  path: string;
  headers: Record<string, string>;
  timeouts: ModelCallTimeouts;
  problem?: string;
};

export function postTarget(url: URL, headers: Record<string, string>, timeouts: ModelCallTimeouts): PostTarget {
  // Names are case-insensitive: a configured "Authorization" replaces ours.
  const all = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  all.set("content-type", "application/json");
  // Credentials in the base URL (a proxy in front of Ollama), sent as node:http sends them for a URL: when no key is set.
  if ((url.username !== "" || url.password !== "") && !all.has("authorization")) {
    all.set(
      "authorization",
      `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64")}`,
    );
  }
  const invalid = [...all].find(([name, value]) => !headerName.test(name) || invalidValueCharacter.test(value));
  return {
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    headers: Object.fromEntries(all),
    timeouts,
    ...(invalid && {
      problem: `The HTTP header "${invalid[0]}" for ${url.origin} has a character HTTP does not allow (a line break or a control character, often at the end of a key pasted from a file): check the API key and the configured headers.`,
    }),
  };
}

/** Sends `body` and resolves once the response headers arrived; rejects on network failure or abort. */
export async function postJson(target: PostTarget, body: Buffer, signal: AbortSignal): Promise<HttpResponse> {
  if (target.problem) throw new TypeError(target.problem);
  const agent = await undiciAgent(target.timeouts);
  signal.throwIfAborted();
  const response = await agent.request({ origin: target.origin, path: target.path, method: "POST", headers: target.headers, body, signal });
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(response.headers)) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  return { status: response.statusCode, headers, body: response.body };
}
