import { addUsage, emptyUsage, type Usage } from "../core/budget.js";
import { ConversationBusyError, InvalidRunStateError, RunNotFoundError } from "../core/errors.js";
import { finishedStatuses, type RunRecord } from "../core/run.js";
import type { RunStore } from "../store/run-store.js";
import { isInterrupted } from "./run-liveness.js";

/** A conversation's id: its first turn's id (a run that was never continued is a conversation of one turn). */
export function conversationIdOf(record: RunRecord): string {
  return record.conversationId ?? record.id;
}

/**
 * The turn a follow-up continues: the latest of the conversation that `runId` (any of its turns,
 * or the conversation's id) belongs to, so a conversation stays one line of turns. It must have
 * finished: completed, or failed or cancelled (the follow-up may fix what went wrong).
 */
export async function turnToContinue(store: RunStore, runId: string): Promise<RunRecord> {
  const named = await store.getRun(runId);
  if (!named) throw new RunNotFoundError(runId);
  if (named.spec.strategy) {
    throw new InvalidRunStateError(
      `Run ${runId} is a ${named.spec.strategy.name} strategy run; a follow-up continues one run's items.`,
      `Continue one of its samples (their parent_id is ${runId}: \`ponder runs --json\`).`,
    );
  }
  const [latest] = await store.listRuns({ conversationId: conversationIdOf(named), limit: 1 });
  const turn = latest ?? named;
  if (!finishedStatuses.includes(turn.status))
    throw new ConversationBusyError(turn.id, isInterrupted(turn) ? "interrupted (its process stopped)" : turn.status);
  return turn;
}

/** Every turn of the conversation that `runId` (any of its turns) belongs to, oldest first. */
export async function conversationTurns(store: RunStore, runId: string): Promise<RunRecord[]> {
  const named = await store.getRun(runId);
  if (!named) throw new RunNotFoundError(runId);
  const followUps = await store.listRuns({ conversationId: conversationIdOf(named), limit: 100_000 });
  const firstTurn = named.conversationId ? await store.getRun(named.conversationId) : named;
  return [...(firstTurn ? [firstTurn] : []), ...followUps.reverse()];
}

/** What the turns cost together: budgets hold per turn, this is the conversation's total. */
export function conversationUsage(turns: RunRecord[]): Usage {
  return turns.reduce((total, turn) => addUsage(total, turn.usage), emptyUsage());
}
