// The `fetch` the AI SDK providers (OpenAI Responses, Anthropic, openai-compatible) are given:
// undici's fetch over the process's Agent for the model call's timeouts (undici-agents.ts). A
// timed-out call fails with undici's UND_ERR_*_TIMEOUT codes, which model-call-errors.ts retries.
// The first AI SDK call of a process pays undici's import once: its first response came 60-100 ms
// later than over the global fetch (measured on a busy 2-core VM), the price of timeouts that can be set.

import type { ModelCallTimeouts } from "./model-call-timeouts.js";
import { loadUndici, type Undici, undiciAgent } from "./undici-agents.js";

export function timedFetch(timeouts: ModelCallTimeouts): typeof globalThis.fetch {
  const fetchWithTimeouts = async (input: Parameters<Undici["fetch"]>[0], init?: Parameters<Undici["fetch"]>[1]) => {
    const [{ fetch }, dispatcher] = await Promise.all([loadUndici(), undiciAgent(timeouts)]);
    return fetch(input, { ...init, dispatcher });
  };
  // undici's own Request/Response types differ from the DOM ones in name only.
  return fetchWithTimeouts as unknown as typeof globalThis.fetch;
}
