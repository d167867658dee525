// What the model is sent, derived from the log alone: the same items always give the same
// context, so a resumed run or a follow-up turn rebuilds it exactly, and the prefix stays the
// same from one step to the next until the next compaction item is stored.

import type { CompactionItem, FunctionCallOutputItem, Item, MessageItem } from "../../core/items.js";
import { messageText } from "../../core/items.js";

/** Notices Ponder itself puts in the conversation begin with this; the user's own words do not. */
export const ponderNoticePrefix = "[Ponder]";

/** A message the user wrote (the task, steering, a follow-up): kept verbatim by every compaction. */
export function isUsersOwnMessage(item: Item): item is MessageItem {
  return item.type === "message" && item.role === "user" && !messageText(item).startsWith(ponderNoticePrefix);
}

export function stubText(output: FunctionCallOutputItem): string {
  const size = typeof output.output === "string" ? `${output.output.length} characters` : `${output.output.length} parts`;
  return `${ponderNoticePrefix} This output (${size}) was cleared from the context to save room. Call recall with call_id "${output.call_id}" to read it again.`;
}

/** The latest compaction that replaced older turns (a summary or a truncation), with its place in `items`. */
export function latestSummary(items: readonly Item[]): { item: CompactionItem; throughIndex: number } | undefined {
  for (let index = items.length - 1; index >= 0; index--) {
    const item = items[index];
    if (item?.type !== "compaction" || item.tier === "stub") continue;
    const through = items.findIndex((candidate) => candidate.id === item.through_id);
    return { item, throughIndex: through === -1 ? index - 1 : through };
  }
  return undefined;
}

/** Call ids whose outputs the model sees as stubs. */
export function stubbedCallIds(items: readonly Item[]): Set<string> {
  const stubbed = new Set<string>();
  for (const item of items) if (item.type === "compaction") for (const id of item.stubbed_call_ids ?? []) stubbed.add(id);
  return stubbed;
}

function noticeMessage(id: string, text: string): MessageItem {
  return { type: "message", id, role: "user", content: [{ type: "input_text", text }] };
}

/**
 * The items of the next request. Before the latest summary: only the user's own messages, then
 * the summary. After it: every item, with stubbed outputs shown as stubs and each stub
 * compaction as a short notice where it was made (so everything before it stays unchanged).
 */
export function contextView(items: readonly Item[]): Item[] {
  const summary = latestSummary(items);
  const stubbed = stubbedCallIds(items);
  const view: Item[] = [];
  let start = 0;
  if (summary) {
    for (let index = 0; index <= summary.throughIndex; index++) {
      const item = items[index];
      if (item && isUsersOwnMessage(item)) view.push(item);
    }
    view.push(noticeMessage(summary.item.id, summary.item.text));
    start = summary.throughIndex + 1;
  }
  for (let index = start; index < items.length; index++) {
    const item = items[index] as Item;
    if (item.type === "compaction") {
      if (item.tier === "stub") view.push(noticeMessage(item.id, item.text));
    } else if (item.type === "function_call_output" && stubbed.has(item.call_id)) {
      view.push({ ...item, output: stubText(item) });
    } else view.push(item);
  }
  return view;
}
