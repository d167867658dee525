import type { Budget } from "./api-types.js";

/** The new-task form's budget fields, as typed; empty means the server's default. */
export type BudgetChoice = { maxSteps: string; deadlineMinutes: string; maxTotalTokens: string; maxCostUsd: string };

export const emptyBudgetChoice: BudgetChoice = { maxSteps: "", deadlineMinutes: "", maxTotalTokens: "", maxCostUsd: "" };

/** The `budget` of `POST /v1/runs` (undefined when no field is set), or an error naming the field that is wrong. */
export function budgetRequestOf(choice: BudgetChoice): { budget?: Budget; error?: string } {
  const budget: Budget = {};
  const whole = (text: string, name: string, set: (value: number) => void): string | undefined => {
    if (!text.trim()) return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) return `${name} must be a whole number of at least 1.`;
    set(value);
    return undefined;
  };
  const error =
    whole(choice.maxSteps, "Max steps", (value) => (budget.maxSteps = value)) ??
    whole(choice.maxTotalTokens, "Max tokens", (value) => (budget.maxTotalTokens = value)) ??
    positive(choice.deadlineMinutes, "The deadline", (value) => (budget.timeoutMs = Math.round(value * 60_000))) ??
    positive(choice.maxCostUsd, "Max cost", (value) => (budget.maxCostUsd = value));
  if (error) return { error };
  return Object.keys(budget).length > 0 ? { budget } : {};
}

function positive(text: string, name: string, set: (value: number) => void): string | undefined {
  if (!text.trim()) return undefined;
  const value = Number(text);
  if (!(value > 0) || !Number.isFinite(value)) return `${name} must be a number above 0.`;
  set(value);
  return undefined;
}
