export { updatePlanTool } from "./update-plan-tool.js";
export { formatPlan, latestPlan, parsePlan, planProgress, planSchema, planStatuses, planToolName } from "./plan.js";
export type { Plan, PlanStatus, PlanStep } from "./plan.js";
