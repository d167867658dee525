import { InvalidRunStateError } from "../core/errors.js";
import type { FunctionCallOutputItem, Item } from "../core/items.js";
import type { RunRecord } from "../core/run.js";
import type { RunStore } from "../store/run-store.js";

/**
 * The model context a follow-up turn starts from: every item of the conversation's earlier
 * turns, oldest first, read from the store through the `previousRunId` chain. Each turn's log
 * holds only its own items (no copy of the history), so a conversation's storage grows with
 * its length, not its square; a resumed turn reads the same chain and so rebuilds the same context.
 */
export async function earlierTurnItems(store: RunStore, record: RunRecord): Promise<Item[]> {
  const turns: Item[][] = [];
  const seen = new Set([record.id]);
  for (let previous = record.previousRunId; previous !== undefined;) {
    if (seen.has(previous)) throw new InvalidRunStateError(`The conversation of run ${record.id} loops back to run ${previous}.`);
    seen.add(previous);
    const [turn, items] = await Promise.all([store.getRun(previous), store.listItems(previous)]);
    if (!turn)
      throw new InvalidRunStateError(`Run ${record.id} follows run ${previous}, which is no longer stored.`, "Start a new conversation.");
    turns.unshift(items.map((stored) => stored.item));
    previous = turn.previousRunId;
  }
  // A call a later turn answers (a client tool's output, sent with the next request) is not closed.
  const answered = new Set([
    ...turns.flat().flatMap((item) => (item.type === "function_call_output" ? [item.call_id] : [])),
    ...(record.spec.clientToolOutputs ?? []).map((output) => output.call_id),
  ]);
  return turns.flatMap((items) => closeUnansweredCalls(items, answered));
}

/**
 * A turn that was cancelled or failed may end with calls that never got an output; providers
 * refuse a context with such calls, so each gets one saying so. Derived, never stored: its id
 * comes from the call's, so every rebuild of the context is the same.
 */
function closeUnansweredCalls(items: Item[], answered: ReadonlySet<string>): Item[] {
  const closing: FunctionCallOutputItem[] = items.flatMap((item) =>
    item.type === "function_call" && !answered.has(item.call_id)
      ? [
          {
            type: "function_call_output" as const,
            id: `${item.id}_unanswered`,
            call_id: item.call_id,
            output: "[Ponder] This call did not finish: its turn stopped first.",
            error_kind: "cancelled" as const,
          },
        ]
      : [],
  );
  return closing.length > 0 ? [...items, ...closing] : items;
}

const resumeNotice =
  "[Ponder] The run continues in a new process. State held by tools from earlier calls (such as Python variables and imports) is gone; recompute what you need.";
const followUpNotice =
  "[Ponder] This follow-up runs with fresh tools: state held by tools in earlier turns (such as Python variables and imports) is gone; recompute what you need. Files in the workspace are still there.";

/**
 * What the model must be told before its next turn when tool state it may count on is gone: a
 * resumed run is in a new process (a new Python kernel); a follow-up starts with fresh tools.
 */
export function toolStateNotice(
  resumed: boolean,
  earlierItems: Item[],
  items: Item[],
  // The client's tools hold their state in the client.
  clientTools: ReadonlySet<string> = new Set(),
): string | undefined {
  const usedTools = (list: Item[]) => list.some((item) => item.type === "function_call" && !clientTools.has(item.name));
  if (resumed) return usedTools(items) || usedTools(earlierItems) ? resumeNotice : undefined;
  return usedTools(earlierItems) ? followUpNotice : undefined;
}
