import type { Budget, Usage } from "./budget.js";
import type { Effort } from "./effort.js";
import type { ContentPart } from "./items.js";

/** Bumped whenever the stored shape of a run or its items changes; old versions keep loading. */
export const runSchemaVersion = 1;

export const runStatuses = ["queued", "running", "awaiting_approval", "paused", "completed", "failed", "cancelled"] as const;
export type RunStatus = (typeof runStatuses)[number];

export const finishedStatuses: readonly RunStatus[] = ["completed", "failed", "cancelled"];

/** Everything needed to start (or restart) a run; stored with the run, so plain JSON only. */
export type RunSpec = {
  model: string;
  /** The user's question, as text or content parts (text and images). */
  input: string | ContentPart[];
  /** System-level instructions; Ponder's default instructions are used when absent. */
  instructions?: string;
  effort: Effort;
  budget: Budget;
  /** Names of the tools the run may use. */
  tools: string[];
  /** Tool calls run at once when the model asks for several. */
  toolConcurrency?: number;
  /** Per-call timeout for tools, in ms. */
  toolTimeoutMs?: number;
  /** How many invalid tool calls in a row the model may repair before the run stops trying tools. */
  maxRepairAttempts?: number;
  metadata?: Record<string, string>;
  /**
   * Function tools of an API client (another agent framework using Ponder as its model): offered
   * to the model next to Ponder's own, never run by Ponder. A turn that calls one ends the run
   * (stop reason `client_tool_calls`) once Ponder's own calls of that turn are settled.
   */
  clientTools?: ClientTool[];
  /** Which tools the model may or must call on each turn (default `auto`); a name forces that client tool. */
  toolChoice?: ToolChoice;
  /** false: the model is asked for at most one tool call per turn. */
  parallelToolCalls?: boolean;
  /**
   * Outputs of client tool calls that the previous turn ended with: the run's first items, before
   * its question (which may then be empty).
   */
  clientToolOutputs?: ClientToolOutput[];
  /** The form the final answer must take: JSON (matching a JSON Schema when one is given). */
  answerFormat?: AnswerFormat;
  /** Sampling settings passed to the provider on every model turn. */
  sampling?: SamplingSettings;
  /**
   * This run's context management, over the config's (an API client's `truncation` and
   * `context_management`): `compaction: false` sends the whole history until the provider refuses
   * it; `compactThreshold` compacts once a request would pass that many tokens.
   */
  context?: { compaction?: boolean; compactThreshold?: number };
  /**
   * Set on a strategy's parent run (best-of-N, vote, adaptive): the run is not advanced by the
   * loop itself; its children (parentId = its id) are the runs that do the work.
   */
  strategy?: { name: string; settings: Record<string, string | number | boolean> };
};

/** A function tool of the API client's; `parameters` is its JSON Schema. */
export type ClientTool = { name: string; description?: string; parameters: Record<string, unknown>; strict?: boolean };

export type ToolChoice = "auto" | "required" | "none" | { name: string };

/** What a client's own tool returned for one of its calls. */
export type ClientToolOutput = { call_id: string; output: string | ContentPart[] };

export type AnswerFormat =
  { type: "json_object" } | { type: "json_schema"; name: string; schema: Record<string, unknown>; description?: string; strict?: boolean };

export type SamplingSettings = { temperature?: number; topP?: number };

/** A call the model made to a client tool: the client runs it and sends back its output. */
export type ClientToolCall = { call_id: string; name: string; arguments: string };

export type StopReason =
  | "answered"
  /** The model called client tools: the run ends, handing the calls to the client (see RunSpec.clientTools). */
  | "client_tool_calls"
  | "budget_exhausted"
  | "cancelled"
  | "error"
  | "awaiting_approval"
  /** Stopped at a step boundary because its process is shutting down; back to `queued`. */
  | "yielded"
  /** Stopped mid-step because its process is shutting down (a server's close); left `paused`, resumable. */
  | "suspended";

export type RunResult = {
  answer: string;
  stopReason: StopReason;
  /** The client tool calls the run ended with (stop reason `client_tool_calls`). */
  clientToolCalls?: ClientToolCall[];
  /** Set when a budget ran out and the answer came from a forced, tool-free final turn. */
  budgetExhausted?: string;
  /** A sampling strategy's answers grouped into clusters, largest first, with the children that gave them. */
  distribution?: AnswerShare[];
  /** A sampling strategy's confidence that its leading answer is the most common one. */
  confidence?: number;
};

export type AnswerShare = { answer: string; count: number; share: number; runIds: string[] };

export type RunError = { code: string; message: string };

/** What one model turn cost: recorded with the turn's checkpoint. */
export type StepUsage = {
  step: number;
  model: string;
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  cachedInputTokens: number;
  costUsd: number;
  durationMs: number;
  finishReason: string;
};

export type RunRecord = {
  schemaVersion: number;
  id: string;
  parentId?: string;
  /**
   * Set on a follow-up turn: the conversation's id (its first turn's id) and the turn it follows.
   * The turn's model context is every item of the earlier turns, loaded from the store through
   * this chain, then its own (see conversation-context.ts); absent on a conversation's first turn.
   */
  conversationId?: string;
  previousRunId?: string;
  /** Who the run belongs to on a shared server (the tenant of the API key that created it); absent for local runs. */
  tenant?: string;
  status: RunStatus;
  spec: RunSpec;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
  usage: Usage;
  result?: RunResult;
  error?: RunError;
  /**
   * Calls (by call id) of tools that do not declare repeating safe, started and whose outputs are
   * not yet recorded. Written durably before such a call starts and cleared with its output, so
   * a call still listed after a crash may have had effects: it is not run again.
   */
  callsInFlight?: string[];
  /**
   * The process that is advancing the run; used to find runs whose process died. `leaseMs`: how
   * long it may go without a heartbeat before a process on another host may take the run over
   * (default 60 s); it heartbeats several times per lease.
   */
  owner?: {
    pid: number;
    host: string;
    heartbeatAt: string;
    leaseMs?: number;
    /** This advancing session's id: checkpoints are written only while the stored record still names it (see OwnerFence). */
    token?: string;
  };
};

/** Names of the run's client tools: a call to one of them is the client's to run, never Ponder's. */
export function clientToolNames(spec: RunSpec): Set<string> {
  return new Set((spec.clientTools ?? []).map((tool) => tool.name));
}
