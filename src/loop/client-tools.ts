// Client tools: function tools an API client sends (another agent framework using Ponder as its
// model). The model sees them next to Ponder's own tools; Ponder never runs them. A turn that
// calls one ends the run once Ponder's own calls of that turn are settled, handing the calls to
// the client, whose outputs start the conversation's next turn (RunSpec.clientToolOutputs).

import type { FunctionCallItem } from "../core/items.js";
import { clientToolNames, type ClientToolCall, type RunSpec } from "../core/run.js";
import type { ModelToolChoice, ToolDefinition } from "../models/model-client.js";
import type { NewItem } from "./run-journal.js";

/** The client's tools as the model sees them. */
export function clientToolDefinitions(spec: RunSpec): ToolDefinition[] {
  return (spec.clientTools ?? []).map((tool) => ({
    name: tool.name,
    description: tool.description ?? "",
    inputSchema: tool.parameters,
    ...(tool.strict !== undefined && { strict: tool.strict }),
  }));
}

/** The run's tool choice as a model request takes it; a named tool is forced on every turn (the first one ends the run). */
export function modelToolChoice(spec: RunSpec): ModelToolChoice {
  const choice = spec.toolChoice ?? "auto";
  return typeof choice === "string" ? choice : { toolName: choice.name };
}

/** Pending calls split into Ponder's own (the loop settles them) and the client's (handed back). */
export function splitPendingCalls(spec: RunSpec, calls: FunctionCallItem[]): { own: FunctionCallItem[]; client: FunctionCallItem[] } {
  const names = clientToolNames(spec);
  if (names.size === 0) return { own: calls, client: [] };
  return { own: calls.filter((call) => !names.has(call.name)), client: calls.filter((call) => names.has(call.name)) };
}

export function clientToolCallsOf(calls: FunctionCallItem[]): ClientToolCall[] {
  return calls.map((call) => ({ call_id: call.call_id, name: call.name, arguments: call.arguments }));
}

/** The outputs a client sent for the calls the previous turn ended with: the run's first items. */
export function clientToolOutputItems(spec: RunSpec): NewItem[] {
  return (spec.clientToolOutputs ?? []).map((output) => ({
    type: "function_call_output" as const,
    call_id: output.call_id,
    output: output.output,
  }));
}
