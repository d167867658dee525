// What a strategy reports while it works, beside the events of its child runs. Names are
// noun-verb, like RunEvent; `runId` is the strategy's parent run.
import type { RunStatus } from "../core/run.js";

/** Why a child run exists. */
export type ChildRole = "sample" | "judge" | "equivalence" | "synthesis" | "planner" | "solver" | "critic" | "reader" | "writer";

/**
 * How a finished child counts: only `answered` samples vote. `infra_failed` means the run
 * failed for a reason that is not the model's answer (provider errors, crashes, timeouts);
 * `budget_refused` means the strategy's total budget refused one of its turns.
 */
export type ChildOutcome = "answered" | "no_answer" | "infra_failed" | "budget_refused" | "cancelled" | "awaiting_approval";

export type ClusterSummary = { answer: string; count: number; share: number };

export type StrategyEvent =
  | { type: "child-started"; runId: string; childId: string; role: ChildRole; index: number }
  | {
      type: "child-finished";
      runId: string;
      childId: string;
      role: ChildRole;
      index: number;
      status: RunStatus;
      outcome: ChildOutcome;
      answer?: string;
    }
  | { type: "distribution-updated"; runId: string; clusters: ClusterSummary[]; votes: number; confidence?: number }
  | { type: "winner-selected"; runId: string; answer: string; method: string; share?: number; confidence?: number };
