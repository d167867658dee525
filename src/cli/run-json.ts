import type { RunRecord } from "../core/run.js";
import type { RunStore } from "../store/run-store.js";
import { runSummaryJson } from "../library/run-summary.js";
import { conversationTurns, conversationUsage } from "../library/conversation-turns.js";

/** A run as JSON for scripts: snake_case top-level fields, the record, and its items (and its conversation's turns). */
export async function runAsJson(store: RunStore, record: RunRecord, withItems = true) {
  return {
    ...runSummaryJson(record),
    ...(withItems
      ? {
          conversation: await conversationJson(store, record),
          steps: await store.listSteps(record.id),
          items: (await store.listItems(record.id)).map((stored) => ({ ...stored.item, step: stored.step, created_at: stored.createdAt })),
        }
      : {}),
  };
}

/** The conversation a run is a turn of: every turn's id, status and usage, and the total. */
async function conversationJson(store: RunStore, record: RunRecord) {
  const turns = await conversationTurns(store, record.id);
  return {
    id: record.conversationId ?? record.id,
    turns: turns.map((turn) => ({ id: turn.id, status: turn.status, usage: turn.usage })),
    usage: conversationUsage(turns),
  };
}
