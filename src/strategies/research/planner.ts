// The planner: one tool-free child run that restates the question and lists sub-questions as
// JSON. A model that writes bad JSON gets one repair run with the error; a model that fails
// twice still leaves the research a plan (the question itself), because research always ends
// with a report.
import type { ModelClient } from "../../models/model-client.js";
import type { StrategyRuns } from "../strategy-runs.js";
import { parseJsonReply } from "../json-reply.js";
import { followUpPrompt, plannerInstructions, plannerPrompt, repairPrompt } from "./research-prompts.js";
import { planSchema, type Plan } from "./research-schemas.js";

export type PlanOutcome = { plan: Plan; repaired: boolean; fellBack: boolean; runIds: string[] };

export type PlannerRequest = { runs: StrategyRuns; model: ModelClient; breadth: number; index: number };

export async function planResearch(question: string, request: PlannerRequest): Promise<PlanOutcome> {
  const outcome = await askPlanner(plannerPrompt(question, request.breadth), request);
  const plan = outcome.plan ?? { restated_question: question, sub_questions: [{ question, look_for: "" }] };
  return { plan: bounded(plan, request.breadth), repaired: outcome.repaired, fellBack: !outcome.plan, runIds: outcome.runIds };
}

/** Sends readers' follow-up questions back to the planner, which keeps at most `breadth` new ones. */
export async function planFollowUps(plan: Plan, followUps: readonly string[], request: PlannerRequest): Promise<PlanOutcome> {
  const outcome = await askPlanner(followUpPrompt(plan, followUps, request.breadth), request);
  const asked = new Set(plan.sub_questions.map((sub) => sub.question.toLowerCase()));
  const fresh = (outcome.plan?.sub_questions ?? []).filter((sub) => !asked.has(sub.question.toLowerCase()));
  return {
    plan: { restated_question: plan.restated_question, sub_questions: fresh.slice(0, request.breadth) },
    repaired: outcome.repaired,
    fellBack: !outcome.plan,
    runIds: outcome.runIds,
  };
}

async function askPlanner(
  input: string,
  { runs, model, index }: PlannerRequest,
): Promise<{ plan?: Plan; repaired: boolean; runIds: string[] }> {
  if (!runs.mayStart()) return { repaired: false, runIds: [] };
  const first = await runs.run({ role: "planner", index, input, model, tools: [], instructions: plannerInstructions });
  const answer = first.record.result?.answer ?? "";
  const parsed = parseJsonReply(answer, planSchema);
  if (parsed.ok) return { plan: parsed.value, repaired: false, runIds: [first.runId] };
  if (!runs.mayStart()) return { repaired: false, runIds: [first.runId] };
  const repair = await runs.run({
    role: "planner",
    index,
    input: `${input}\n\n${repairPrompt(answer, parsed.problem)}`,
    model,
    tools: [],
    instructions: plannerInstructions,
  });
  const repaired = parseJsonReply(repair.record.result?.answer ?? "", planSchema);
  return { ...(repaired.ok ? { plan: repaired.value } : {}), repaired: repaired.ok, runIds: [first.runId, repair.runId] };
}

function bounded(plan: Plan, breadth: number): Plan {
  return { ...plan, sub_questions: plan.sub_questions.slice(0, breadth) };
}
