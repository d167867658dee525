// Small helpers for the model tests: build a request, and drain a turn's stream.

import type { Item } from "../../src/core/items.js";
import type { ModelRequest, ModelStreamPart } from "../../src/models/model-client.js";

export function modelRequest(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    items: [{ type: "message", id: "item_user", role: "user", content: [{ type: "input_text", text: "Hello" }] }],
    tools: [],
    toolChoice: "auto",
    signal: new AbortController().signal,
    ...overrides,
  };
}

export type DrainedTurn = {
  text: string;
  reasoning: string;
  finish: Extract<ModelStreamPart, { type: "finish" }>;
};

export async function drain(stream: AsyncIterable<ModelStreamPart>): Promise<DrainedTurn> {
  let text = "";
  let reasoning = "";
  let finish: DrainedTurn["finish"] | undefined;
  for await (const part of stream) {
    if (part.type === "text-delta") text += part.delta;
    else if (part.type === "reasoning-delta") reasoning += part.delta;
    else finish = part;
  }
  if (finish === undefined) throw new Error("the stream ended without a finish part");
  return { text, reasoning, finish };
}

/** Gives turn items ids, as the loop does before storing them. */
export function withIds(items: DrainedTurn["finish"]["items"], prefix: string): Item[] {
  return items.map((item, index) => ({ ...item, id: `${prefix}_${index}` }) as Item);
}

export const searchTool = {
  name: "search",
  description: "Search the web.",
  inputSchema: { type: "object", properties: { query: { type: "string" } }, required: ["query"], additionalProperties: false },
};

export const readTool = {
  name: "read",
  description: "Read a page.",
  inputSchema: { type: "object", properties: { url: { type: "string" } }, required: ["url"], additionalProperties: false },
};
