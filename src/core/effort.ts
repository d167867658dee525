import type { Budget } from "./budget.js";

export const efforts = ["minimal", "low", "medium", "high"] as const;
export type Effort = (typeof efforts)[number];

export function isEffort(value: string): value is Effort {
  return (efforts as readonly string[]).includes(value);
}

/**
 * Default budgets per effort. An explicit budget field always wins over these. The numbers are
 * generous enough for tool-using work at each level and small enough that a forgotten run stops.
 */
export const effortBudgets: Record<Effort, Budget> = {
  minimal: { maxSteps: 4, maxToolCalls: 4, maxTotalTokens: 50_000, timeoutMs: 2 * 60_000 },
  low: { maxSteps: 10, maxToolCalls: 16, maxTotalTokens: 200_000, timeoutMs: 5 * 60_000 },
  medium: { maxSteps: 25, maxToolCalls: 50, maxTotalTokens: 600_000, timeoutMs: 15 * 60_000 },
  high: { maxSteps: 60, maxToolCalls: 150, maxTotalTokens: 2_000_000, timeoutMs: 45 * 60_000 },
};

/** Extended-thinking token budgets for providers that take one (Anthropic). */
export const effortThinkingTokens: Record<Effort, number> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 24_576,
};
