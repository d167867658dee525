// A scorer decides whether one answer is right. It returns pass or fail with a reason; when
// it cannot decide (a grader model that failed, a sandbox that would not start) it throws,
// and the sample becomes error(scorer) or, for ScorerInfraError, error(infra).
import type { DatasetItem } from "../dataset.js";

export type ScoreInput = {
  item: DatasetItem;
  /** The run's whole final text. */
  response: string;
  /** The final answer pulled out of it (`Final answer:`, `\boxed{}`). */
  answer: string;
  signal: AbortSignal;
};

export type Score = { passed: boolean; score?: number; reason?: string };

export type Scorer = { name: string; score(input: ScoreInput): Promise<Score> };

/** The scorer's infrastructure failed (not the answer's fault): retried like a failed run. */
export class ScorerInfraError extends Error {}

export function targetsOf(item: DatasetItem): string[] {
  if (item.target === undefined) throw new Error(`item ${item.id} has no target to compare with`);
  return Array.isArray(item.target) ? item.target : [item.target];
}
