// The critic reviews what the solver did, not only what it said: every tool call of the
// solver's run with (the start of) what came back, within a bound so a long run still fits.
import type { FunctionCallItem, FunctionCallOutputItem } from "../../core/items.js";
import type { RunStore } from "../../store/run-store.js";

const maxCalls = 20;
const maxArgumentsChars = 600;
const maxOutputChars = 800;

export async function summariseToolEvidence(store: RunStore, runId: string): Promise<string> {
  const items = (await store.listItems(runId)).map((stored) => stored.item);
  const calls = items.filter((item): item is FunctionCallItem => item.type === "function_call");
  if (calls.length === 0) return "(the solver used no tools)";
  const outputs = new Map(
    items.filter((item): item is FunctionCallOutputItem => item.type === "function_call_output").map((item) => [item.call_id, item]),
  );
  const lines = calls.slice(-maxCalls).map((call, index) => {
    const output = outputs.get(call.call_id);
    const result =
      output === undefined
        ? "(no result)"
        : `${output.error_kind ? `[${output.error_kind}] ` : ""}${cut(textOf(output.output), maxOutputChars)}`;
    return `${index + 1}. ${call.name}(${cut(call.arguments, maxArgumentsChars)})\n   → ${result.replace(/\n/g, "\n     ")}`;
  });
  const skipped = calls.length > maxCalls ? [`(${calls.length - maxCalls} earlier calls left out)`] : [];
  return [...skipped, ...lines].join("\n");
}

function textOf(output: FunctionCallOutputItem["output"]): string {
  return typeof output === "string" ? output : output.map((part) => ("text" in part ? part.text : "[image]")).join(" ");
}

function cut(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length - limit} more characters)`;
}
