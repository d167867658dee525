import type { Usage } from "../core/budget.js";
import type { RunStatus } from "../core/run.js";
import { startRun, type StartRunOptions } from "./start-run.js";
import { conversationIdOf } from "./conversation-turns.js";

export type AskResult = {
  answer: string;
  runId: string;
  /** The conversation the run is a turn of (its first turn's id): pass it as `continueFrom` to ask a follow-up. */
  conversationId: string;
  status: RunStatus;
  usage: Usage;
  /** Set when a budget ended the run and the answer was forced from what it had. */
  budgetExhausted?: string;
  error?: { code: string; message: string };
};

/** One question, one answer: starts a run and waits for it. With `continueFrom`, a follow-up. */
export async function ask(question: string, options: StartRunOptions = {}): Promise<AskResult> {
  const handle = await startRun(question, options);
  const record = await handle.result;
  return {
    answer: record.result?.answer ?? "",
    runId: record.id,
    conversationId: conversationIdOf(record),
    status: record.status,
    usage: record.usage,
    ...(record.result?.budgetExhausted ? { budgetExhausted: record.result.budgetExhausted } : {}),
    ...(record.error ? { error: record.error } : {}),
  };
}
