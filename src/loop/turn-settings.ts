// What a run's spec asks of its items and model turns beyond the question: the client tool
// outputs it starts from, and the request settings an API client sent (sampling, answer format,
// one tool call at a time, an output token cap).

import type { ContentPart } from "../core/items.js";
import type { RunSpec } from "../core/run.js";
import { clientToolOutputItems } from "./client-tools.js";
import type { ModelTurnOptions } from "./model-turn.js";
import type { NewItem } from "./run-journal.js";

/** A new run's first items: the client's tool outputs (a turn that continues after client tool calls), then its question. */
export function runInputItems(spec: RunSpec): NewItem[] {
  return [...clientToolOutputItems(spec), ...questionItems(spec.input)];
}

/** The run's question as its first message; a turn that only brings client tool outputs may have none. */
function questionItems(input: string | ContentPart[]): NewItem[] {
  if (input === "" || (Array.isArray(input) && input.length === 0)) return [];
  return [{ type: "message", role: "user", content: typeof input === "string" ? [{ type: "input_text", text: input }] : input }];
}

/** What the client asked of every model turn; the output token cap is what the budget has left. */
export function turnSettings(spec: RunSpec, outputTokensUsed: number): ModelTurnOptions["settings"] {
  const cap = spec.budget.maxOutputTokens;
  const format = spec.answerFormat;
  return {
    ...(spec.parallelToolCalls !== undefined && { parallelToolCalls: spec.parallelToolCalls }),
    ...spec.sampling,
    ...(cap !== undefined && { maxOutputTokens: Math.max(1, cap - outputTokensUsed) }),
    ...(format && {
      responseFormat:
        format.type === "json_object"
          ? {}
          : {
              schema: format.schema,
              name: format.name,
              ...(format.description !== undefined && { description: format.description }),
              ...(format.strict !== undefined && { strict: format.strict }),
            },
    }),
  };
}
