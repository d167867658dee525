import type { Budget } from "../core/budget.js";
import { parseDuration, parsePositiveInteger, parsePositiveNumber } from "./parse-duration.js";

/** The budget and tool flags of every command that starts a run (`ask`, `submit`). */
export const budgetOptions = {
  deadline: { type: "string" },
  "max-steps": { type: "string" },
  "max-tool-calls": { type: "string" },
  "budget-tokens": { type: "string" },
  "budget-cost": { type: "string" },
  tools: { type: "string" },
} as const;

export const budgetHelp = `  --deadline <duration>          wall-clock budget, e.g. 30s, 5m; the answer comes before it
  --max-steps <n>                model turns at most
  --max-tool-calls <n>           tool calls at most
  --budget-tokens <n>            input + output tokens at most
  --budget-cost <usd>            cost at most, in US dollars
  --tools <a,b>                  tools the run may use (default: every built-in tool usable here)`;

type BudgetFlags = {
  deadline?: string;
  "max-steps"?: string;
  "max-tool-calls"?: string;
  "budget-tokens"?: string;
  "budget-cost"?: string;
};

export function budgetFromFlags(values: BudgetFlags): Budget {
  return {
    ...(values.deadline ? { timeoutMs: parseDuration(values.deadline, "--deadline") } : {}),
    ...(values["max-steps"] ? { maxSteps: parsePositiveInteger(values["max-steps"], "--max-steps") } : {}),
    ...(values["max-tool-calls"] ? { maxToolCalls: parsePositiveInteger(values["max-tool-calls"], "--max-tool-calls") } : {}),
    ...(values["budget-tokens"] ? { maxTotalTokens: parsePositiveInteger(values["budget-tokens"], "--budget-tokens") } : {}),
    ...(values["budget-cost"] ? { maxCostUsd: parsePositiveNumber(values["budget-cost"], "--budget-cost") } : {}),
  };
}

/** `--tools a,b` → the names; `--tools ""` → no tools; no flag → undefined (the default set). */
export function toolsFromFlag(value: string | undefined): string[] | undefined {
  return value
    ?.split(",")
    .map((name) => name.trim())
    .filter(Boolean);
}
