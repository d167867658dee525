// The shapes the runs API answers (docs/server.md). Item and usage types come from Ponder's core
// as types only: the page shares the server's vocabulary but none of its code.
import type { Budget, Usage } from "../../../src/core/budget.js";
import type { Item } from "../../../src/core/items.js";
import type { RunStatus } from "../../../src/core/run.js";

export type { Budget, Item, RunStatus, Usage };
export type { ArtifactItem, ContentPart, FunctionCallItem, FunctionCallOutputItem, ReasoningItem } from "../../../src/core/items.js";

export const runStatuses: readonly RunStatus[] = ["queued", "running", "awaiting_approval", "paused", "completed", "failed", "cancelled"];
export const finishedStatuses: readonly RunStatus[] = ["completed", "failed", "cancelled"];
/** Statuses of a run that something is advancing right now, so its event stream has more to say. */
export const activeStatuses: readonly RunStatus[] = ["queued", "running"];

export const efforts = ["minimal", "low", "medium", "high"] as const;
export type Effort = (typeof efforts)[number];

export type StoredItemJson = { seq: number; step: number; created_at: string; item: Item };

/** One group of equivalent answers among a strategy's samples. */
export type AnswerCluster = { answer: string; share: number; count: number; run_ids: string[] };

export type RunStrategy = { name: string; settings: Record<string, string | number | boolean> };

export type RunJson = {
  id: string;
  object: "run";
  status: RunStatus;
  interrupted: boolean;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  parent_id: string | null;
  /** The conversation the run is a turn of: its first turn's id. */
  conversation_id: string;
  previous_run_id: string | null;
  model: string;
  effort: Effort;
  metadata: Record<string, string>;
  input: string;
  answer: string | null;
  stop_reason: string | null;
  budget_exhausted: string | null;
  error: { code: string; message: string } | null;
  usage: Usage;
  budget: Budget;
  strategy?: RunStrategy | null;
  distribution?: AnswerCluster[] | null;
  confidence?: number | null;
  /** Calls started whose outcome is not recorded yet; in an interrupted run, their effects are unknown. */
  calls_in_flight?: string[];
};

/** One model turn's usage and time. */
export type StepUsageJson = {
  step: number;
  input_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cost_usd: number;
  duration_ms: number;
};

/** `GET /v1/runs/{id}`: the run with its stored items, its conversation's turns (oldest first) and each step's usage. */
export type RunDetailJson = RunJson & { live: boolean; items: StoredItemJson[]; turns: RunJson[]; steps?: StepUsageJson[] };

/** `GET /v1/tools`: a built-in tool a run may be given; `default` ones are given when none are named. */
export type ToolJson = { name: string; description: string; default: boolean };

export type ListJson<T> = { object: "list"; data: T[] };

export type ModelJson = { id: string; object: "model"; owned_by: string };

export type StrategyRequest =
  | { type: "best_of_n"; samples?: number; select?: SelectMethod }
  | { type: "best_of_n"; untilConfident: number; maxSamples?: number; select?: SelectMethod }
  | { type: "research" };

export const selectMethods = ["vote", "judge", "synthesize"] as const;
export type SelectMethod = (typeof selectMethods)[number];

/** `POST /v1/runs` body. */
export type CreateRunRequest = {
  input: string;
  model?: string;
  effort?: Effort;
  strategy?: StrategyRequest;
  /** A follow-up: the conversation (any of its turns) this run continues. */
  continue_from?: string;
  budget?: Budget;
  tools?: string[];
  /** Files for the tools: their bytes as base64. */
  files?: { name: string; data: string }[];
};
