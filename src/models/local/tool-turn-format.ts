// How a local model calls tools: when tools are offered, its whole reply is one JSON object,
// constrained by a grammar built from the tools' JSON Schemas, so even a small model can only
// write a well-formed call to a tool that exists, or a final answer:
//   {"call": {"name": "python", "arguments": {...}}}   or   {"final_answer": "..."}

import type { FunctionCallItem, Item } from "../../core/items.js";
import type { ToolDefinition } from "../model-client.js";

/** A `minItems`/`minLength` up to this is kept in the grammar (a required non-empty string, say). */
const largestKeptLowerBound = 8;

export type ToolTurn =
  { kind: "call"; name: string; arguments: string } | { kind: "answer"; text: string } | { kind: "malformed"; text: string };

/** The JSON Schema of one reply: a call to any of the tools, or a final answer. */
export function toolTurnSchema(tools: ToolDefinition[]): Record<string, unknown> {
  const calls = tools.map((tool) => ({
    type: "object",
    properties: {
      call: {
        type: "object",
        properties: { name: { const: tool.name }, arguments: grammarSafeSchema(tool.inputSchema) },
        required: ["name", "arguments"],
        additionalProperties: false,
      },
    },
    required: ["call"],
    additionalProperties: false,
  }));
  const answer = {
    type: "object",
    properties: { final_answer: { type: "string" } },
    required: ["final_answer"],
    additionalProperties: false,
  };
  return { oneOf: [...calls, answer] };
}

/** Instructions that tell the model the reply format and the tools, appended to the system prompt. */
export function toolInstructions(tools: ToolDefinition[]): string {
  const described = tools.map(
    (tool) => `- ${tool.name}: ${tool.description}\n  arguments (JSON Schema): ${JSON.stringify(tool.inputSchema)}`,
  );
  return [
    "You can call these tools:",
    ...described,
    'Reply with exactly one JSON object: {"call": {"name": "<tool>", "arguments": {...}}} to call a tool, ' +
      'or {"final_answer": "<your answer>"} when you are done. Tool results come back as user messages starting with [tool result].',
  ].join("\n");
}

/** Reads a constrained reply. A reply cut off by the token limit is kept as text, never dropped. */
export function parseToolTurn(reply: string): ToolTurn {
  try {
    const parsed = JSON.parse(reply) as { call?: { name?: unknown; arguments?: unknown }; final_answer?: unknown };
    if (parsed.call && typeof parsed.call.name === "string") {
      return { kind: "call", name: parsed.call.name, arguments: JSON.stringify(parsed.call.arguments ?? {}) };
    }
    if (typeof parsed.final_answer === "string") return { kind: "answer", text: parsed.final_answer };
  } catch {
    // Falls through: the reply ended before the JSON was complete.
  }
  return { kind: "malformed", text: reply };
}

/** A call as the model's own reply, so the next turn's prompt shows it the format it used. */
export function callAsReply(call: Pick<FunctionCallItem, "name" | "arguments">): string {
  let args: unknown = call.arguments;
  try {
    args = JSON.parse(call.arguments);
  } catch {
    // Kept as written: the model sees its own malformed arguments and the error that follows.
  }
  return JSON.stringify({ call: { name: call.name, arguments: args } });
}

/** The text of a tool result as the model reads it. */
export function toolResultText(item: Extract<Item, { type: "function_call_output" }>, name: string): string {
  const output =
    typeof item.output === "string"
      ? item.output
      : item.output.map((part) => (part.type === "input_image" ? "[image]" : part.text)).join("\n");
  return `[tool result] ${name}${item.error_kind ? ` (${item.error_kind})` : ""}:\n${output}`;
}

/**
 * node-llama-cpp's grammar takes a subset of JSON Schema; keywords it does not know (`$schema`,
 * `default`, `format`, ...) are dropped here, and a schema it cannot express becomes "any JSON
 * object": the loop still validates the arguments against the real schema.
 * Length bounds become repetitions in the grammar, and llama.cpp refuses a grammar whose nested
 * repetitions multiply past its limit (update_plan's up to 50 steps of up to 300 characters did:
 * "Failed to parse grammar" on every turn). So upper bounds are left to that validation, and a
 * lower bound is kept only where it is small.
 */
function grammarSafeSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const kept = new Set([
    "type",
    "properties",
    "required",
    "items",
    "enum",
    "const",
    "oneOf",
    "anyOf",
    "additionalProperties",
    "description",
  ]);
  const keptIfSmall = new Set(["minItems", "minLength"]);
  const clean = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(clean);
    if (value === null || typeof value !== "object") return value;
    const entries = Object.entries(value as Record<string, unknown>);
    return Object.fromEntries(
      entries
        .map(([key, inner]) => [key, key === "properties" ? mapValues(inner, clean) : clean(inner)])
        .filter(([key, inner]) => kept.has(key as string) || (keptIfSmall.has(key as string) && Number(inner) <= largestKeptLowerBound)),
    );
  };
  const cleaned = clean(schema) as Record<string, unknown>;
  return cleaned.type === "object" ? cleaned : { type: "object" };
}

function mapValues(value: unknown, map: (inner: unknown) => unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, inner]) => [key, map(inner)]));
}
