// The plan a model keeps with `update_plan`: a short checklist of steps, each pending, in
// progress or completed (the shape Codex's update_plan takes). A plan is never stored apart
// from the run: its latest state is the arguments of the run's latest valid `update_plan`
// function_call, so the live view, the web UI and compaction all read it from the items.
import { z } from "zod";
import type { Item } from "../../core/items.js";

export const planToolName = "update_plan";

export const planStatuses = ["pending", "in_progress", "completed"] as const;
export type PlanStatus = (typeof planStatuses)[number];

export const planSchema = z
  .object({
    explanation: z.string().max(2_000).optional().describe("Why the plan changed, in a sentence (optional)."),
    plan: z
      .array(
        z
          .object({
            step: z.string().trim().min(1).max(300).describe("One step, a short sentence."),
            status: z.enum(planStatuses).describe("pending, in_progress or completed."),
          })
          .strict(),
      )
      .min(1)
      .max(50)
      .describe("Every step of the plan, in order: the whole list each time, not only the changed steps.")
      .refine((steps) => steps.filter((entry) => entry.status === "in_progress").length <= 1, {
        message: "At most one step may be in_progress at a time.",
      }),
  })
  .strict();

export type Plan = z.infer<typeof planSchema>;
export type PlanStep = Plan["plan"][number];

/**
 * The run's current plan: the arguments of its latest `update_plan` call that are a valid plan
 * (a call the tool refused changes nothing), or undefined when the model never made one.
 */
export function latestPlan(items: readonly Item[]): Plan | undefined {
  for (let index = items.length - 1; index >= 0; index--) {
    const item = items[index];
    if (item?.type !== "function_call" || item.name !== planToolName) continue;
    const plan = parsePlan(item.arguments);
    if (plan !== undefined) return plan;
  }
  return undefined;
}

/** A plan from a call's raw arguments, or undefined when they are not a valid plan. */
export function parsePlan(rawArguments: string): Plan | undefined {
  try {
    const parsed = planSchema.safeParse(JSON.parse(rawArguments));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const marks: Record<PlanStatus, string> = { completed: "[x]", in_progress: "[>]", pending: "[ ]" };

/** The plan as checklist lines (`[x] done`, `[>] doing`, `[ ] to do`), as the model and the terminal see it. */
export function formatPlan(plan: Plan): string {
  return plan.plan.map((entry) => `${marks[entry.status]} ${entry.step}`).join("\n");
}

/** "2 of 5 steps completed". */
export function planProgress(plan: Plan): string {
  const done = plan.plan.filter((entry) => entry.status === "completed").length;
  return `${done} of ${plan.plan.length} step${plan.plan.length === 1 ? "" : "s"} completed`;
}
