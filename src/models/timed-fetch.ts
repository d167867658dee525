// The `fetch` the AI SDK providers (OpenAI Responses, Anthropic, openai-compatible) are given:
// undici's fetch over an Agent whose connect timeout, headers timeout (time to the first byte)
// and body timeout (time between bytes) are the model call's timeouts (model-call-timeouts.ts).
// A timed-out call fails with undici's UND_ERR_*_TIMEOUT codes, which model-call-errors.ts
// retries. undici is the package of Node's own fetch; version 6 is the line Node 20 bundles.
// It is imported at the first call, like the provider packages (lazy-provider-model.ts): the
// import takes 110-150 ms here, and runs on Ponder's own Chat Completions client never need it.
// The first AI SDK call of a process pays it once: its first response came 60-100 ms later than
// over the global fetch (measured on a busy 2-core VM), the price of timeouts that can be set.

import type { Agent, fetch as undiciFetch } from "undici";
import type { ModelCallTimeouts } from "./model-call-timeouts.js";

type Undici = { Agent: typeof Agent; fetch: typeof undiciFetch };

let undici: Promise<Undici> | undefined;
// One Agent per pair of timeouts, for the process: clients with the same settings share their
// kept-alive connections, as they did over the global fetch.
const agents = new Map<string, Agent>();

export function timedFetch(timeouts: ModelCallTimeouts): typeof globalThis.fetch {
  const key = `${timeouts.connectTimeoutMs}:${timeouts.idleTimeoutMs}`;
  const fetchWithTimeouts = async (input: Parameters<Undici["fetch"]>[0], init?: Parameters<Undici["fetch"]>[1]) => {
    const { Agent, fetch } = await (undici ??= import("undici").then((module) => ({ Agent: module.Agent, fetch: module.fetch })));
    let dispatcher = agents.get(key);
    if (dispatcher === undefined) {
      dispatcher = new Agent({
        connect: { timeout: timeouts.connectTimeoutMs },
        headersTimeout: timeouts.idleTimeoutMs,
        bodyTimeout: timeouts.idleTimeoutMs,
      });
      agents.set(key, dispatcher);
    }
    return fetch(input, { ...init, dispatcher });
  };
  // undici's own Request/Response types differ from the DOM ones in name only.
  return fetchWithTimeouts as unknown as typeof globalThis.fetch;
}
