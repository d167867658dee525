// A fake model with a small context window, for context-management tests and benchmarks: it
// counts a request's tokens (four characters of its JSON body a token), refuses one over the
// window with the provider's context_length_exceeded error, and reports the count as usage, so
// the harness sees what a real provider would tell it.

import type { FakeTurn, RequestBody } from "./fake-openai-server.js";

export const summariserMarker = "You compact the working log";

export type WindowedRequest = { tokens: number; summarising: boolean; text: string };

export type SmallWindowModel = {
  handler: (body: RequestBody) => Promise<FakeTurn> | FakeTurn;
  requests: WindowedRequest[];
  /** Requests the fake refused for passing the window. */
  overflows: number;
};

/**
 * `turn` answers the run's own turns; `summarise` answers summarising calls (by default: every
 * line of its input that states a fact, `... is ...` with a capitalised or coded value, which is
 * what a good summariser keeps).
 */
export function smallWindowModel(
  window: number,
  turn: (text: string, step: number, body: RequestBody) => FakeTurn,
  summarise: (text: string, index: number) => FakeTurn = (text) => ({ text: factsIn(text).join("\n") || "Nothing found yet." }),
): SmallWindowModel {
  const model: SmallWindowModel = { handler, requests: [], overflows: 0 };
  let steps = 0;
  let summaries = 0;
  function handler(body: RequestBody): FakeTurn {
    const text = JSON.stringify(body);
    const tokens = Math.ceil(text.length / 4);
    const summarising = text.includes(summariserMarker);
    model.requests.push({ tokens, summarising, text });
    if (tokens > window) {
      model.overflows++;
      return {
        status: 400,
        errorBody: {
          error: {
            message: `This model's maximum context length is ${window} tokens. However, your messages resulted in ${tokens} tokens.`,
            type: "invalid_request_error",
            code: "context_length_exceeded",
          },
        },
      };
    }
    const answer = summarising ? summarise(text, summaries++) : turn(text, ++steps, body);
    return { ...answer, usage: { inputTokens: tokens, ...answer.usage } };
  }
  return model;
}

/** Sentences like "the vault city is Lisbon" or "the launch code is ZEBRA-41". */
export function factsIn(text: string): string[] {
  return [...new Set(text.match(/[a-z]+ [a-z]+ is [A-Z][A-Za-z0-9-]+/g) ?? [])];
}

/** Text of a given size that states nothing, different for each `seed`. */
export function filler(seed: number, characters: number): string {
  const words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"];
  let text = "";
  for (let index = 0; text.length < characters; index++) text += `${words[(seed * 7 + index * 3) % words.length]}${(seed + index) % 97} `;
  return text.slice(0, characters);
}
