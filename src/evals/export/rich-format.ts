// The rich trajectory format for RL and analysis: every step's items and usage, the sample's
// outcome and reward, its error kind, and mask flags. Infrastructure faults are masked rather
// than given a zero reward: a rollout that failed because our sandbox or provider did is not
// evidence about the policy.
import type { Item } from "../../core/items.js";
import type { StepUsage } from "../../core/run.js";
import type { Trajectory } from "./trajectory-source.js";

export type RichStep = {
  step: number;
  items: Item[];
  usage?: StepUsage;
  /** This step holds a tool output marked infra_error. */ masked: boolean;
};

export type RichTrajectory = {
  run_id: string;
  parent_id?: string;
  eval_id?: string;
  item_id?: string;
  config?: string;
  epoch?: number;
  model: string;
  effort: string;
  status: string;
  /** pass | fail | error | unscored (a run outside an eval). */
  outcome: string;
  error_kind?: string;
  /** 1 pass, 0 fail; null when there is no trustworthy score (errors, unscored). */
  reward: number | null;
  /** Leave this trajectory out of training: its outcome was decided by an infrastructure fault. */
  masked: boolean;
  retried: boolean;
  answer?: string;
  usage: Trajectory["record"]["usage"];
  steps: RichStep[];
};

export function richTrajectory(trajectory: Trajectory): RichTrajectory {
  const { record, sample } = trajectory;
  const usageByStep = new Map(trajectory.steps.map((usage) => [usage.step, usage]));
  const steps: RichStep[] = [];
  for (const { step, item } of trajectory.items) {
    let current = steps.at(-1);
    if (!current || current.step !== step) {
      current = { step, items: [], ...(usageByStep.has(step) ? { usage: usageByStep.get(step) as StepUsage } : {}), masked: false };
      steps.push(current);
    }
    current.items.push(item);
    if (item.type === "function_call_output" && item.error_kind === "infra_error") current.masked = true;
  }
  const runFailed = record.status === "failed";
  const outcome = trajectory.replaced || runFailed ? "error" : sample ? sample.outcome.status : "unscored";
  const errorKind = trajectory.replaced || runFailed ? "infra" : sample?.outcome.status === "error" ? sample.outcome.kind : undefined;
  const reward = outcome === "pass" ? 1 : outcome === "fail" ? 0 : null;
  return {
    run_id: record.id,
    ...(record.parentId ? { parent_id: record.parentId } : {}),
    ...(trajectory.evalId ? { eval_id: trajectory.evalId } : {}),
    ...(sample ? { item_id: sample.itemId, config: sample.configId, epoch: sample.epoch } : {}),
    model: record.spec.model,
    effort: record.spec.effort,
    status: record.status,
    outcome,
    ...(errorKind ? { error_kind: errorKind } : {}),
    reward,
    masked: errorKind === "infra" || steps.some((step) => step.masked),
    retried: sample?.retried ?? false,
    ...(record.result?.answer ? { answer: record.result.answer } : {}),
    usage: record.usage,
    steps,
  };
}
