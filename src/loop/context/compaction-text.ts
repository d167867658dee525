// What a compaction item says to the model. Besides the model's summary, parts taken from the
// log itself, which survive even a poor or failed summary: the sources read, the files made, the
// plan, and how to bring any earlier output back.

import type { Item } from "../../core/items.js";
import { ponderNoticePrefix } from "./context-view.js";
import { formatPlan, latestPlan, planProgress } from "../../tools/plan/plan.js";

const listedSources = 30;
const listedCalls = 30;

export function stubCompactionText(count: number, items: readonly Item[]): string {
  return [
    `${ponderNoticePrefix} To save room, ${count} older tool output${count === 1 ? " was" : "s were"} cleared from the context (each says so where it was). Call recall with a call_id to read one again.`,
    ...planLines(items),
  ].join("\n");
}

export function summaryCompactionText(summary: string, summarised: readonly Item[], all: readonly Item[]): string {
  return [
    `${ponderNoticePrefix} The earlier part of this run (${summarised.length} items) is summarised below to save room; the user's own messages are kept above as they were. Call recall with a call_id to read any earlier tool output again.`,
    "",
    summary,
    ...ledgerLines(all),
    ...planLines(all),
  ].join("\n");
}

export function truncationCompactionText(
  reason: string,
  previousSummary: string | undefined,
  summarised: readonly Item[],
  all: readonly Item[],
): string {
  const calls = summarised.flatMap((item) =>
    item.type === "function_call" ? [`${item.call_id} ${item.name}(${clip(item.arguments, 80)})`] : [],
  );
  const shown = calls.slice(-listedCalls);
  return [
    `${ponderNoticePrefix} ${summarised.length} earlier items were dropped from the context to save room (summarising them failed: ${reason}); the user's own messages are kept above as they were. Call recall with a call_id to read any earlier tool output again.`,
    ...(previousSummary ? ["", "Summary of the part before:", previousSummary] : []),
    ...(shown.length > 0
      ? ["", `Earlier tool calls${calls.length > shown.length ? ` (the last ${shown.length} of ${calls.length})` : ""}:`, ...shown]
      : []),
    ...ledgerLines(all),
    ...planLines(all),
  ].join("\n");
}

function ledgerLines(items: readonly Item[]): string[] {
  const sources = new Map<string, string>();
  const files = new Set<string>();
  for (const item of items) {
    if (item.type === "source") sources.set(item.source_id, `${item.source_id}: ${clip(item.title, 80)} <${item.url}>`);
    else if (item.type === "artifact") files.add(item.name);
  }
  const sourceLines = [...sources.values()].slice(-listedSources);
  return [
    ...(sourceLines.length > 0 ? ["", "Sources read (cite by id):", ...sourceLines] : []),
    ...(files.size > 0 ? ["", `Files produced: ${[...files].join(", ")}`] : []),
  ];
}

/** The plan re-stated after every compaction: summarising must never lose it. */
function planLines(items: readonly Item[]): string[] {
  const plan = latestPlan(items);
  return plan === undefined ? [] : ["", `Current plan (${planProgress(plan)}):`, formatPlan(plan)];
}

function clip(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
