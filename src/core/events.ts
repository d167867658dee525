import type { Usage } from "./budget.js";
import type { FunctionCallItem, FunctionCallOutputItem, Item } from "./items.js";
import type { RunError, RunResult, RunStatus } from "./run.js";

// Events are what UIs and streams watch; items are what is stored. Names are noun-verb.
export type RunEvent =
  | { type: "run-started"; runId: string; model: string; resumed: boolean }
  | { type: "step-started"; runId: string; step: number; final: boolean }
  /** `itemId`: the id the turn's message (or reasoning) is stored under, so a stream can name it before it is stored. */
  | { type: "text-delta"; runId: string; delta: string; itemId?: string }
  | { type: "reasoning-delta"; runId: string; delta: string; itemId?: string }
  | { type: "item-added"; runId: string; item: Item }
  | { type: "tool-call-started"; runId: string; call: FunctionCallItem }
  | { type: "tool-call-finished"; runId: string; call: FunctionCallItem; output: FunctionCallOutputItem }
  | { type: "approval-requested"; runId: string; call: FunctionCallItem }
  | { type: "retry-scheduled"; runId: string; attempt: number; delayMs: number; reason: string }
  | { type: "usage-updated"; runId: string; usage: Usage }
  | { type: "step-finished"; runId: string; step: number }
  | { type: "status-changed"; runId: string; status: RunStatus }
  | { type: "run-finished"; runId: string; status: RunStatus; result?: RunResult; error?: RunError };

export type RunEventType = RunEvent["type"];
export type RunEventListener = (event: RunEvent) => void;
