/**
 * Limits on one run. Every field is optional; a missing field means no limit of that kind.
 * `timeoutMs` is relative to the run's start; `deadline` is an absolute epoch-ms time. When
 * both are given, the earlier wins.
 */
export type Budget = {
  maxSteps?: number;
  maxToolCalls?: number;
  maxInputTokens?: number;
  maxOutputTokens?: number;
  maxTotalTokens?: number;
  maxCostUsd?: number;
  timeoutMs?: number;
  deadline?: number;
};

/** What a run has spent so far. */
export type Usage = {
  steps: number;
  toolCalls: number;
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  cachedInputTokens: number;
  costUsd: number;
  /** Whether costUsd is known: false when a model's price is not in the table. */
  costKnown: boolean;
};

export function emptyUsage(): Usage {
  return {
    steps: 0,
    toolCalls: 0,
    inputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    cachedInputTokens: 0,
    costUsd: 0,
    costKnown: true,
  };
}

export function addUsage(total: Usage, delta: Partial<Usage>): Usage {
  return {
    steps: total.steps + (delta.steps ?? 0),
    toolCalls: total.toolCalls + (delta.toolCalls ?? 0),
    inputTokens: total.inputTokens + (delta.inputTokens ?? 0),
    outputTokens: total.outputTokens + (delta.outputTokens ?? 0),
    reasoningTokens: total.reasoningTokens + (delta.reasoningTokens ?? 0),
    cachedInputTokens: total.cachedInputTokens + (delta.cachedInputTokens ?? 0),
    costUsd: total.costUsd + (delta.costUsd ?? 0),
    costKnown: total.costKnown && (delta.costKnown ?? true),
  };
}

/** Fields of `override` win; missing ones come from `base`. */
export function mergeBudgets(base: Budget, override: Budget): Budget {
  const merged: Budget = { ...base };
  for (const [key, value] of Object.entries(override) as [keyof Budget, number | undefined][]) {
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

/** The absolute deadline of a run started at `startedAt`, or undefined when there is none. */
export function deadlineOf(budget: Budget, startedAt: number): number | undefined {
  const fromTimeout = budget.timeoutMs === undefined ? undefined : startedAt + budget.timeoutMs;
  if (fromTimeout === undefined) return budget.deadline;
  if (budget.deadline === undefined) return fromTimeout;
  return Math.min(fromTimeout, budget.deadline);
}
