// The plan the model keeps with the `update_plan` tool, re-stated after each compaction so that
// summarising never loses it. Read from the latest call's arguments: a `plan` list of steps with
// statuses (the Codex / Claude Code shape); anything else is shown as the model wrote it.

import type { Item } from "../../core/items.js";

const planToolName = "update_plan";

type PlanStep = { step?: unknown; content?: unknown; title?: unknown; status?: unknown };

export function currentPlan(items: readonly Item[]): string | undefined {
  for (let index = items.length - 1; index >= 0; index--) {
    const item = items[index];
    if (item?.type !== "function_call" || item.name !== planToolName) continue;
    return planText(item.arguments);
  }
  return undefined;
}

function planText(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  const record = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const steps = Array.isArray(record.plan)
    ? (record.plan as PlanStep[])
    : Array.isArray(record.steps)
      ? (record.steps as PlanStep[])
      : undefined;
  if (!steps) return text;
  const lines = steps.map((step) => {
    const name = step.step ?? step.content ?? step.title ?? JSON.stringify(step);
    const status = typeof step.status === "string" ? step.status : "pending";
    const mark = status === "completed" ? "[x]" : status === "in_progress" ? "[~]" : "[ ]";
    return `${mark} ${String(name)} (${status})`;
  });
  const explanation = typeof record.explanation === "string" && record.explanation.trim() !== "" ? `${record.explanation.trim()}\n` : "";
  return `${explanation}${lines.join("\n")}`;
}
