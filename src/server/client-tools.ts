// Client tools on the OpenAI endpoints: the function tools a client sends (`tools`, `tool_choice`,
// `parallel_tool_calls`) as a run takes them, and the calls a run hands back as Chat Completions
// `tool_calls`. Ponder never runs them (see loop/client-tools.ts); tools of other types (OpenAI's
// hosted tools) are refused by name: Ponder's own tools do that work.

import { z } from "zod";
import type { ClientTool, RunRecord, ToolChoice } from "../core/run.js";
import { badRequest } from "./http-error.js";

const parametersSchema = z.record(z.string(), z.unknown());
const hostedToolHint = "Ponder brings its own Python, web search and page reading; send only `function` tools.";

/** A Responses API tool: `{ type: "function", name, description, parameters, strict }`. */
export const responsesToolSchema = z.looseObject({
  type: z.string(),
  name: z.string().optional(),
  description: z.string().nullish(),
  parameters: parametersSchema.nullish(),
  strict: z.boolean().nullish(),
});

/** A Chat Completions tool: `{ type: "function", function: { name, description, parameters, strict } }`. */
export const chatToolSchema = z.looseObject({
  type: z.string(),
  function: z
    .looseObject({
      name: z.string(),
      description: z.string().nullish(),
      parameters: parametersSchema.nullish(),
      strict: z.boolean().nullish(),
    })
    .optional(),
});

export const toolChoiceSchema = z.union([z.enum(["auto", "none", "required"]), z.looseObject({ type: z.string() })]);

const namePattern = /^[a-zA-Z0-9_-]{1,64}$/;

export function responsesClientTools(tools: z.infer<typeof responsesToolSchema>[] | null | undefined): ClientTool[] {
  return (tools ?? []).map((tool, index) => {
    if (tool.type !== "function")
      throw badRequest(
        `Tools of type ${JSON.stringify(tool.type)} are not supported. ${hostedToolHint}`,
        `tools.${index}.type`,
        "unsupported_tool",
      );
    return clientTool(tool.name, tool.description, tool.parameters, tool.strict, `tools.${index}`);
  });
}

export function chatClientTools(tools: z.infer<typeof chatToolSchema>[] | null | undefined): ClientTool[] {
  return (tools ?? []).map((tool, index) => {
    if (tool.type !== "function" || !tool.function)
      throw badRequest(
        `Tools of type ${JSON.stringify(tool.type)} are not supported. ${hostedToolHint}`,
        `tools.${index}.type`,
        "unsupported_tool",
      );
    const fn = tool.function;
    return clientTool(fn.name, fn.description, fn.parameters, fn.strict, `tools.${index}.function`);
  });
}

function clientTool(
  name: string | undefined,
  description: string | null | undefined,
  parameters: Record<string, unknown> | null | undefined,
  strict: boolean | null | undefined,
  param: string,
): ClientTool {
  if (name === undefined || !namePattern.test(name))
    throw badRequest("A tool's name must be 1 to 64 letters, digits, underscores or dashes.", `${param}.name`);
  return {
    name,
    ...(description ? { description } : {}),
    // A tool without parameters takes none, as OpenAI reads it.
    parameters: parameters ?? { type: "object", properties: {}, additionalProperties: false },
    ...(strict !== undefined && strict !== null ? { strict } : {}),
  };
}

/** `tool_choice` as a run takes it: auto, none, required, or one function by name (either API's shape). */
export function clientToolChoice(choice: z.infer<typeof toolChoiceSchema> | null | undefined): ToolChoice | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (typeof choice === "string") return choice;
  const record = choice as Record<string, unknown>;
  const name = typeof record.name === "string" ? record.name : (record.function as { name?: unknown } | undefined)?.name;
  if (choice.type === "function" && typeof name === "string") return { name };
  throw badRequest(
    `tool_choice of type ${JSON.stringify(choice.type)} is not supported: send "auto", "none", "required" or a function by name.`,
    "tool_choice",
    "unsupported_parameter",
  );
}

/** The client tool calls a run ended with, as a Chat Completions message's `tool_calls`. */
export function chatToolCalls(record: RunRecord) {
  if (record.result?.stopReason !== "client_tool_calls") return undefined;
  return (record.result.clientToolCalls ?? []).map((call) => ({
    id: call.call_id,
    type: "function" as const,
    function: { name: call.name, arguments: call.arguments },
  }));
}
