import type { RunRecord } from "../core/run.js";
import { conversationTurns, conversationUsage } from "../library/conversation-turns.js";
import { runSummaryJson } from "../library/run-summary.js";
import type { RunStore } from "../store/run-store.js";
import { formatUsage, oneLine, style } from "./format.js";

/**
 * The turns of the conversation a run belongs to, one line each (the run's own marked), and the
 * conversation's total usage; nothing when it has fewer than `minimumTurns` turns.
 */
export async function conversationLines(store: RunStore, record: RunRecord, width: number, minimumTurns = 2): Promise<string[]> {
  const turns = await conversationTurns(store, record.id);
  if (turns.length < minimumTurns) return [];
  return [
    style.dim(`conversation ${record.conversationId ?? record.id}: ${turns.length} turn${turns.length === 1 ? "" : "s"}`),
    ...turns.map((turn, index) => {
      const mark = turn.id === record.id ? style.bold("▶") : " ";
      return `${mark} ${String(index + 1).padStart(2)}. ${turn.id}  ${turn.status}  ${oneLine(runSummaryJson(turn).input, Math.max(20, width - 60))}  ${style.dim(formatUsage(turn.usage))}`;
    }),
    style.dim(`conversation total: ${formatUsage(conversationUsage(turns))}`),
    "",
  ];
}
