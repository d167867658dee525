// The model's plan, from its `update_plan` tool calls: a checklist of steps with statuses. The
// arguments are read loosely (the model writes them), so a misspelt field shows what it can.
import type { Item } from "../api/api-types.js";
import { objectOf } from "./tool-preview.js";

export type PlanStep = { text: string; status: "pending" | "in_progress" | "completed" | string };
export type Plan = { steps: PlanStep[]; explanation: string | undefined };

export const planToolName = "update_plan";

/** The plan of one `update_plan` call's arguments, or undefined when they hold no steps. */
export function planOf(argumentsText: string): Plan | undefined {
  const parsed = objectOf(argumentsText);
  const list = parsed?.plan ?? parsed?.steps ?? parsed?.items;
  if (!Array.isArray(list)) return undefined;
  const steps = list.flatMap((entry: unknown): PlanStep[] => {
    if (typeof entry === "string") return [{ text: entry, status: "pending" }];
    if (typeof entry !== "object" || entry === null) return [];
    const fields = entry as Record<string, unknown>;
    const text = [fields.step, fields.title, fields.text, fields.content, fields.description].find((value) => typeof value === "string");
    return typeof text === "string" ? [{ text, status: typeof fields.status === "string" ? fields.status : "pending" }] : [];
  });
  if (steps.length === 0) return undefined;
  return { steps, explanation: typeof parsed?.explanation === "string" ? parsed.explanation : undefined };
}

/** The latest plan the model wrote in these items. */
export function latestPlan(items: Item[]): Plan | undefined {
  for (let index = items.length - 1; index >= 0; index--) {
    const item = items[index];
    if (item?.type === "function_call" && item.name === planToolName) {
      const plan = planOf(item.arguments);
      if (plan) return plan;
    }
  }
  return undefined;
}
