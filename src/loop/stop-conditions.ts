import type { Budget, Usage } from "../core/budget.js";

/** What stop rules look at before each model turn. */
export type LoopSnapshot = {
  usage: Usage;
  budget: Budget;
  now: number;
  /** When the work phase must end so the final answer still fits before the deadline. */
  workDeadline?: number;
  /** Tokens and cost of the last model turn: the next turn will cost at least as much. */
  lastTurn?: { inputTokens: number; totalTokens: number; costUsd: number };
  invalidTurnsInARow: number;
  maxRepairAttempts: number;
};

/** A reason to stop working and ask for the final, tool-free answer. */
export type StopDecision = { reason: string };
export type StopCondition = (snapshot: LoopSnapshot) => StopDecision | undefined;

// Token and cost rules stop when another work turn plus the final turn would not fit.
const twoMoreTurns = (used: number, lastTurn: number | undefined, limit: number) => used + 2 * (lastTurn ?? 0) > limit || used >= limit;

export const stepsExhausted: StopCondition = ({ usage, budget }) =>
  budget.maxSteps !== undefined && usage.steps >= budget.maxSteps - 1 ? { reason: `step limit (${budget.maxSteps} steps)` } : undefined;

export const toolCallsExhausted: StopCondition = ({ usage, budget }) =>
  budget.maxToolCalls !== undefined && usage.toolCalls >= budget.maxToolCalls
    ? { reason: `tool call limit (${budget.maxToolCalls} calls)` }
    : undefined;

export const totalTokensExhausted: StopCondition = ({ usage, budget, lastTurn }) =>
  budget.maxTotalTokens !== undefined && twoMoreTurns(usage.inputTokens + usage.outputTokens, lastTurn?.totalTokens, budget.maxTotalTokens)
    ? { reason: `token budget (${budget.maxTotalTokens} tokens)` }
    : undefined;

export const inputTokensExhausted: StopCondition = ({ usage, budget, lastTurn }) =>
  budget.maxInputTokens !== undefined && twoMoreTurns(usage.inputTokens, lastTurn?.inputTokens, budget.maxInputTokens)
    ? { reason: `input token budget (${budget.maxInputTokens} tokens)` }
    : undefined;

export const outputTokensExhausted: StopCondition = ({ usage, budget }) =>
  budget.maxOutputTokens !== undefined && usage.outputTokens >= budget.maxOutputTokens * 0.9
    ? { reason: `output token budget (${budget.maxOutputTokens} tokens)` }
    : undefined;

export const costExhausted: StopCondition = ({ usage, budget, lastTurn }) =>
  budget.maxCostUsd !== undefined && twoMoreTurns(usage.costUsd, lastTurn?.costUsd, budget.maxCostUsd)
    ? { reason: `cost budget ($${budget.maxCostUsd})` }
    : undefined;

export const deadlineReached: StopCondition = ({ now, workDeadline }) =>
  workDeadline !== undefined && now >= workDeadline ? { reason: "deadline" } : undefined;

export const repairsExhausted: StopCondition = ({ invalidTurnsInARow, maxRepairAttempts }) =>
  invalidTurnsInARow > maxRepairAttempts ? { reason: `${invalidTurnsInARow} invalid tool-call turns in a row` } : undefined;

export const budgetStopConditions: StopCondition[] = [
  deadlineReached,
  stepsExhausted,
  toolCallsExhausted,
  totalTokensExhausted,
  inputTokensExhausted,
  outputTokensExhausted,
  costExhausted,
  repairsExhausted,
];

export function firstStop(conditions: readonly StopCondition[], snapshot: LoopSnapshot): StopDecision | undefined {
  for (const condition of conditions) {
    const decision = condition(snapshot);
    if (decision) return decision;
  }
  return undefined;
}

/**
 * The time kept back from the work phase for the forced final answer: 15% of the time budget
 * (as node-DeepResearch's "beast mode" does), at least 2 s and at most 60 s, never more than half.
 */
export function workDeadlineOf(startedAt: number, deadline: number | undefined): number | undefined {
  if (deadline === undefined) return undefined;
  const total = deadline - startedAt;
  const reserve = Math.min(Math.max(total * 0.15, 2000), 60_000, total / 2);
  return deadline - reserve;
}
