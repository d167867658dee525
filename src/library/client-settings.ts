// Checks, before a run starts, that what an API client asked of it can be honoured with its
// model and tools: client tools whose names are free, a tool choice that names one of them,
// settings the model's provider takes, an answer schema that can be enforced, and tool outputs
// that answer exactly the calls the conversation's latest turn handed to the client.

import { UnsupportedOptionError } from "../core/errors.js";
import type { AnswerFormat, ClientTool, ClientToolOutput, RunRecord, RunSpec } from "../core/run.js";
import { answerChecker } from "../loop/answer-format.js";
import type { ModelClient } from "../models/model-client.js";
import { strictSchemaProblem } from "./strict-schema.js";

/** What the client asked, as StartRunOptions carries it. */
export type ClientSettings = Pick<
  RunSpec,
  "clientTools" | "toolChoice" | "parallelToolCalls" | "clientToolOutputs" | "answerFormat" | "sampling" | "context"
>;

export function checkClientSettings(
  settings: ClientSettings,
  model: ModelClient,
  toolNames: string[],
  previous: RunRecord | undefined,
): void {
  const clientTools = settings.clientTools ?? [];
  checkToolNames(clientTools, toolNames);
  checkToolChoice(settings, clientTools, toolNames, model);
  const passes = model.passes;
  if (settings.parallelToolCalls === false && !passes?.parallelToolCalls)
    throw new UnsupportedOptionError(
      "parallelToolCalls",
      `The model ${model.id} has no setting for one tool call at a time.`,
      "Leave parallel_tool_calls out, or use a model whose provider takes it (OpenAI, Anthropic, a Chat Completions server).",
    );
  for (const [name, option] of [
    ["temperature", "temperature"],
    ["topP", "top_p"],
  ] as const) {
    if (settings.sampling?.[name] !== undefined && !passes?.[name])
      throw new UnsupportedOptionError(
        `sampling.${name}`,
        `The model ${model.id} does not take ${option}${model.capabilities.reasoning ? " (a reasoning model's provider refuses it)" : ""}.`,
        `Leave ${option} out.`,
      );
  }
  if (settings.answerFormat) checkAnswerFormat(settings.answerFormat, model);
  checkToolOutputs(settings.clientToolOutputs ?? [], previous);
}

function checkToolNames(clientTools: ClientTool[], toolNames: string[]): void {
  const seen = new Set<string>();
  for (const [index, tool] of clientTools.entries()) {
    const mcpServer = toolNames.find((name) => name.endsWith("__*") && tool.name.startsWith(name.slice(0, -1)));
    if (toolNames.includes(tool.name) || mcpServer)
      throw new UnsupportedOptionError(
        `clientTools.${index}.name`,
        `The tool name "${tool.name}" is taken by one of Ponder's own tools (${toolNames.filter((name) => !name.endsWith("__*")).join(", ")}${mcpServer ? `, and MCP tools named ${mcpServer}` : ""}).`,
        "Rename your tool, or turn Ponder's tools off with `ponder: { builtin_tools: false }`.",
      );
    if (seen.has(tool.name)) throw new UnsupportedOptionError(`clientTools.${index}.name`, `Two tools are named "${tool.name}".`);
    seen.add(tool.name);
  }
}

function checkToolChoice(settings: ClientSettings, clientTools: ClientTool[], toolNames: string[], model: ModelClient): void {
  const choice = settings.toolChoice;
  if (choice === undefined || choice === "auto" || choice === "none") return;
  if (typeof choice === "object" && !clientTools.some((tool) => tool.name === choice.name))
    throw new UnsupportedOptionError(
      "toolChoice",
      `tool_choice names "${choice.name}", which is not one of the tools sent (${clientTools.map((tool) => tool.name).join(", ") || "none"}).`,
    );
  if (choice === "required" && clientTools.length === 0 && toolNames.length === 0)
    throw new UnsupportedOptionError("toolChoice", 'tool_choice "required" needs tools: none were sent and Ponder\'s own are off.');
  if (!model.passes?.forcedToolChoice)
    throw new UnsupportedOptionError(
      "toolChoice",
      `The model ${model.id} cannot be made to call a tool.`,
      'Use tool_choice "auto", or a model whose provider takes "required" and named choices.',
    );
}

function checkAnswerFormat(format: AnswerFormat, model: ModelClient): void {
  if (format.type !== "json_schema") return;
  try {
    answerChecker(format);
  } catch (error) {
    throw new UnsupportedOptionError(
      "answerFormat.schema",
      `The JSON Schema cannot be enforced: ${error instanceof Error ? error.message : String(error)}.`,
      "Send a plain JSON Schema (objects, arrays, strings, numbers, booleans, enums, local $refs).",
    );
  }
  // The provider enforces the schema itself only in its strict subset.
  const problem = model.passes?.structuredOutput && format.strict !== false ? strictSchemaProblem(format.schema) : undefined;
  if (problem)
    throw new UnsupportedOptionError(
      "answerFormat.schema",
      `The JSON Schema cannot be enforced in strict mode by ${model.id}: ${problem}.`,
      "Fix the schema, or send `strict: false` (the answer is then checked by Ponder and repaired when it does not match).",
    );
}

function checkToolOutputs(outputs: ClientToolOutput[], previous: RunRecord | undefined): void {
  const handedOut = previous?.result?.stopReason === "client_tool_calls" ? (previous.result.clientToolCalls ?? []) : [];
  const open = new Set(handedOut.map((call) => call.call_id));
  for (const [index, output] of outputs.entries()) {
    if (!open.has(output.call_id))
      throw new UnsupportedOptionError(
        `clientToolOutputs.${index}.call_id`,
        `No tool call with id ${output.call_id} is waiting for its output${previous ? ` in ${previous.id}` : ""}${open.size > 0 ? ` (waiting: ${[...open].join(", ")})` : ""}.`,
      );
    open.delete(output.call_id);
  }
  if (open.size > 0)
    throw new UnsupportedOptionError(
      "clientToolOutputs",
      `No tool output found for the call${open.size > 1 ? "s" : ""} ${[...open].join(", ")} of ${previous?.id}: send the output of every call it ended with.`,
    );
}
