// undici, the HTTP client of Node's own fetch, carries every model call: the AI SDK providers'
// through its fetch (timed-fetch.ts), Ponder's Chat Completions client through its `request`
// (chat-completions/http-post.ts). One Agent per pair of timeouts, for the process: clients with
// the same settings share kept-alive connections (undici closes an idle one before the server's
// Keep-Alive hint runs out, so a request rarely meets a connection the server is closing).
// The connect timeout bounds TCP (and TLS); headers and body timeouts are the idle timeout:
// the time to the first byte and between bytes (model-call-timeouts.ts). undici is imported at
// the first call: the import takes 100-150 ms on a busy machine, which `ponder --version`,
// `ponder runs` and a scripted model never need. Version 6 is the line Node 20 bundles.

import type { Agent, fetch } from "undici";
import type { ModelCallTimeouts } from "./model-call-timeouts.js";

/** What Ponder uses of undici. */
export type Undici = { Agent: typeof Agent; fetch: typeof fetch };

let undici: Promise<Undici> | undefined;
const agents = new Map<string, Agent>();

/** undici, imported once. */
export function loadUndici(): Promise<Undici> {
  return (undici ??= import("undici").then((module) => ({ Agent: module.Agent, fetch: module.fetch })));
}

/** The process's Agent for these timeouts. */
export async function undiciAgent(timeouts: ModelCallTimeouts): Promise<Agent> {
  const { Agent } = await loadUndici();
  const key = `${timeouts.connectTimeoutMs}:${timeouts.idleTimeoutMs}`;
  let agent = agents.get(key);
  if (agent === undefined) {
    agent = new Agent({
      connect: { timeout: timeouts.connectTimeoutMs },
      headersTimeout: timeouts.idleTimeoutMs,
      bodyTimeout: timeouts.idleTimeoutMs,
    });
    agents.set(key, agent);
  }
  return agent;
}
