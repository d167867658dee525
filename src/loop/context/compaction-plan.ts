// Which items a compaction shrinks. Both choices are made in batches (every old output at once,
// every older turn at once) so that a compaction buys many steps of an unchanged prefix.

import type { Item } from "../../core/items.js";
import { itemTokenEstimate } from "./token-estimate.js";

/** Outputs this small cost about what their stub costs: clearing them gains nothing. */
const smallestStubbedOutputTokens = 64;

/**
 * Tier 1: the outputs in `view` that are not stubs yet, except the `keep` most recent ones and
 * small ones. Returns their call ids and the tokens clearing them saves (stubs cost ~40 each).
 */
export function stubCandidates(
  view: readonly Item[],
  stubbed: ReadonlySet<string>,
  keep: number,
): { callIds: string[]; savedTokens: number } {
  const outputs = view.filter((item) => item.type === "function_call_output");
  const older = outputs.slice(0, Math.max(0, outputs.length - keep));
  const callIds: string[] = [];
  let savedTokens = 0;
  for (const output of older) {
    if (output.type !== "function_call_output" || stubbed.has(output.call_id)) continue;
    const tokens = itemTokenEstimate(output);
    if (tokens < smallestStubbedOutputTokens) continue;
    callIds.push(output.call_id);
    savedTokens += tokens - 40;
  }
  return { callIds, savedTokens };
}

/**
 * Tier 2: the index of the last item to summarise, at or after `start`: as far as possible while
 * the newest items after it (kept as they are) stay within `keepTokens`, and only at a turn
 * boundary (every call before the cut has its output before the cut, and no reasoning item ends
 * it). -1 when there is none.
 */
export function summaryCut(items: readonly Item[], start: number, keepTokens: number): number {
  const boundaries: number[] = [];
  const open = new Set<string>();
  for (let index = start; index < items.length; index++) {
    const item = items[index] as Item;
    if (item.type === "function_call") open.add(item.call_id);
    else if (item.type === "function_call_output") open.delete(item.call_id);
    const next = items[index + 1];
    // Never between a reasoning item and what it led to: providers refuse reasoning left dangling.
    if (open.size === 0 && next?.type !== "function_call_output" && item.type !== "reasoning") boundaries.push(index);
  }
  const isBoundary = new Set(boundaries);
  let cut = boundaries.at(-1) ?? -1;
  let kept = 0;
  for (let index = items.length - 1; index > start; index--) {
    kept += itemTokenEstimate(items[index] as Item);
    if (kept > keepTokens) break;
    if (isBoundary.has(index - 1)) cut = index - 1;
  }
  return cut;
}
