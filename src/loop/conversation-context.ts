import { InvalidRunStateError } from "../core/errors.js";
import type { FunctionCallOutputItem, Item } from "../core/items.js";
import type { RunRecord } from "../core/run.js";
import type { RunStore } from "../store/run-store.js";
import type { KernelHandover } from "../tools/python/kept-kernels.js";

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
const keptResumeNotice =
  "[Ponder] The run continues. The Python kernel kept its variables and imports; other tools' state from earlier calls (such as an open browser page) is gone.";
const keptFollowUpNotice =
  "[Ponder] This follow-up keeps the earlier turns' Python kernel: the variables, imports and functions their code defined are still there. Other tools start fresh (an open browser page is gone); files in the workspace are still there.";

/**
 * What the model must be told before its next turn about tool state it may count on: a resumed
 * run in a new process has a new Python kernel; a follow-up starts with fresh tools, except the
 * Python kernel when the process kept it (kept-kernels.ts), and is told why it was not kept if
 * that is known (stopped after being idle too long).
 */
export function toolStateNotice(
  resumed: boolean,
  earlierItems: Item[],
  items: Item[],
  kernel: KernelHandover,
  // The client's tools hold their state in the client.
  clientTools: ReadonlySet<string> = new Set(),
): string | undefined {
  const usedTools = (list: Item[]) => list.some((item) => item.type === "function_call" && !clientTools.has(item.name));
  if (resumed) {
    if (!usedTools(items) && !usedTools(earlierItems)) return undefined;
    return kernel.kept ? keptResumeNotice : resumeNotice;
  }
  if (!usedTools(earlierItems)) return undefined;
  if (kernel.kept) return keptFollowUpNotice;
  const lost = kernel.stopReason
    ? `the earlier turns' Python kernel ${kernel.stopReason}, so its variables and imports are gone`
    : "state held by tools in earlier turns (such as Python variables and imports) is gone";
  return `[Ponder] This follow-up runs with fresh tools: ${lost}; recompute what you need. Files in the workspace are still there.`;
}
