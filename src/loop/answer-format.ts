// The form a client asked the final answer to take (the Responses API's `text.format`, Chat
// Completions' `response_format`). Providers with structured output are asked for it directly;
// every answer is also checked here, and one that does not conform is sent back to the model to
// fix, a bounded number of times, before the run fails with the reason.

import { z } from "zod";
import { PonderError } from "../core/errors.js";
import type { Item } from "../core/items.js";
import type { AnswerFormat } from "../core/run.js";

/** Turns that may fix a nonconforming answer before the run fails. */
export const answerRepairAttempts = 2;

const repairPrefix = "[Ponder] Your answer does not have the required format";

/** What is wrong with `answer` under `format`, or undefined when it conforms. */
export type AnswerCheck = (answer: string) => string | undefined;

/**
 * A checker for the format. Throws when the schema cannot be enforced (a schema zod cannot read):
 * the caller refuses such a request before any run starts.
 */
export function answerChecker(format: AnswerFormat | undefined): AnswerCheck | undefined {
  if (format === undefined) return undefined;
  const schema = format.type === "json_schema" ? z.fromJSONSchema(format.schema as Parameters<typeof z.fromJSONSchema>[0]) : undefined;
  return (answer) => {
    let value: unknown;
    try {
      value = JSON.parse(answer);
    } catch (error) {
      return `it is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
    }
    if (schema === undefined)
      return typeof value === "object" && value !== null && !Array.isArray(value) ? undefined : "it is not a JSON object";
    const parsed = schema.safeParse(value);
    if (parsed.success) return undefined;
    return parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(the whole answer)"}: ${issue.message}`)
      .join("; ");
  };
}

/** The message that sends a nonconforming answer back to the model. */
export function repairRequest(format: AnswerFormat, problem: string): string {
  const schema = format.type === "json_schema" ? ` matching this JSON Schema:\n${JSON.stringify(format.schema)}` : " (a JSON object)";
  return `${repairPrefix}: ${problem}. Answer again with only the JSON${schema}`;
}

/** Repairs asked so far, counted from the log, so a resumed run keeps its count. */
export function repairsAsked(items: readonly Item[]): number {
  return items.filter(
    (item) =>
      item.type === "message" && item.role === "user" && item.content.some((part) => "text" in part && part.text.startsWith(repairPrefix)),
  ).length;
}

/** The run's answer still did not conform after its repairs. */
export class AnswerFormatError extends PonderError {
  constructor(problem: string) {
    super(
      "answer_format_invalid",
      `The model's answer did not match the required format after ${answerRepairAttempts} repairs: ${problem}.`,
      {
        hint: "Simplify the schema, or use a model with structured output.",
      },
    );
  }
}
