// From a request's class to what the run gets: effort, budget, and whether to sample. The
// user's explicit flags always win; the decision lists which of its choices they replaced.
import { mergeBudgets, type Budget } from "../../core/budget.js";
import { effortBudgets, type Effort } from "../../core/effort.js";
import type { Selection } from "../selection.js";
import type { RequestClassification } from "./classify-request.js";
import type { RequestClass } from "./request-class.js";

export type Sampling = { samples?: number; untilConfident?: number; select: Selection };

/** What the user said explicitly; any of it beats the router's choice. */
export type ExplicitChoices = {
  budget?: Budget;
  samples?: number;
  untilConfident?: number;
  select?: Selection;
};

export type RoutingDecision = RequestClassification & {
  effort: Effort;
  /** The per-run budget: the effort's defaults under the user's explicit fields. */
  budget: Budget;
  /** Absent: one run. */
  sampling?: Sampling;
  /** The router's choices that explicit flags replaced (e.g. "maxSteps", "samples"). */
  overridden: string[];
};

type Plan = { effort: Effort; sampling?: Sampling };

/** Hard requests get several independent attempts and a vote: where one careful run can still be wrong, agreement is evidence. */
export const plans: Record<RequestClass, Plan> = {
  trivial: { effort: "minimal" },
  needs_tools: { effort: "medium" },
  hard: { effort: "high", sampling: { samples: 3, select: "vote" } },
};

export function decideEffort(classification: RequestClassification, explicit: ExplicitChoices = {}): RoutingDecision {
  const plan = plans[classification.requestClass];
  const explicitBudget = explicit.budget ?? {};
  const overridden = Object.keys(explicitBudget).filter((field) => explicitBudget[field as keyof Budget] !== undefined);
  const userSamples = explicit.samples !== undefined || explicit.untilConfident !== undefined;
  if (userSamples) overridden.push("sampling");
  else if (explicit.select !== undefined && plan.sampling) overridden.push("select");
  const sampling: Sampling | undefined = userSamples
    ? {
        ...(explicit.samples !== undefined ? { samples: explicit.samples } : {}),
        ...(explicit.untilConfident !== undefined ? { untilConfident: explicit.untilConfident } : {}),
        select: explicit.select ?? plan.sampling?.select ?? "vote",
      }
    : plan.sampling && { ...plan.sampling, select: explicit.select ?? plan.sampling.select };
  return {
    ...classification,
    effort: plan.effort,
    budget: mergeBudgets(effortBudgets[plan.effort], explicitBudget),
    ...(sampling ? { sampling } : {}),
    overridden,
  };
}

/** One line for the terminal and the run's note. */
export function describeDecision(decision: RoutingDecision): string {
  const sampling = decision.sampling
    ? decision.sampling.untilConfident !== undefined
      ? `, samples until ${decision.sampling.untilConfident} confident (${decision.sampling.select})`
      : `, ${decision.sampling.samples ?? 8} samples (${decision.sampling.select})`
    : "";
  const by =
    decision.source === "model"
      ? `classified by run ${decision.runIds.at(-1)}`
      : decision.source === "heuristic"
        ? "decided without a model"
        : `fallback after runs ${decision.runIds.join(", ")}`;
  const overridden = decision.overridden.length > 0 ? `; your flags replaced: ${decision.overridden.join(", ")}` : "";
  return `effort auto: ${decision.requestClass.replace("_", " ")} → ${decision.effort}${sampling}. Reason: ${decision.reason} (${by}${overridden})`;
}
