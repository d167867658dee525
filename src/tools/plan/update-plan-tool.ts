// `update_plan`: the model writes down its plan and keeps it current. The tool changes nothing
// outside the run; what matters is the call itself, which the run records (see plan.ts).
import { defineTool, type Tool } from "../tool.js";
import { formatPlan, planProgress, planSchema, planToolName, type Plan } from "./plan.js";

export const updatePlanTool: Tool<Plan> = defineTool({
  name: planToolName,
  description:
    "Keep a short plan for a task of several steps: a checklist where each step is pending, in_progress or completed. " +
    "Call it with the whole list when you start such a task, and again whenever a step is done or the plan changes " +
    "(at most one step in_progress). Skip it for simple questions. The plan is shown to the user and kept for you " +
    "when old turns are summarised.",
  parameters: planSchema,
  effects: "none",
  async run(args) {
    const finished = args.plan.every((entry) => entry.status === "completed");
    return {
      content: `Plan updated (${planProgress(args)}${finished ? "; every step is done" : ""}):\n${formatPlan(args)}`,
    };
  },
});
