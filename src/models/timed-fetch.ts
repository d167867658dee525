// The `fetch` the AI SDK providers (OpenAI Responses, Anthropic, openai-compatible) are given:
// undici's fetch over an Agent whose connect timeout, headers timeout (time to the first byte)
// and body timeout (time between bytes) are the model call's timeouts (model-call-timeouts.ts).
// A timed-out call fails with undici's UND_ERR_*_TIMEOUT codes, which model-call-errors.ts
// retries. undici is the package of Node's own fetch; version 6 is the line Node 20 bundles.

import { Agent, fetch as undiciFetch } from "undici";
import type { ModelCallTimeouts } from "./model-call-timeouts.js";

// One Agent per pair of timeouts, for the process: clients with the same settings share their
// kept-alive connections, as they did over the global fetch.
const agents = new Map<string, Agent>();

export function timedFetch(timeouts: ModelCallTimeouts): typeof globalThis.fetch {
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
  const dispatcher = agent;
  // undici's own Request/Response types differ from the DOM ones in name only.
  return ((input: Parameters<typeof undiciFetch>[0], init?: Parameters<typeof undiciFetch>[1]) =>
    undiciFetch(input, { ...init, dispatcher })) as unknown as typeof globalThis.fetch;
}
