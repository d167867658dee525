import type { Effort } from "../core/effort.js";
import type { RetryPolicy } from "./retry.js";
import type { FunctionCallItem, Item, MessageItem, ReasoningItem } from "../core/items.js";

/** A tool as the model sees it: a name, a description and a JSON Schema for its arguments. */
export type ToolDefinition = {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  /** Asks the provider to hold the arguments to the schema exactly (OpenAI's strict mode), where it can. */
  strict?: boolean;
};

export type ModelRequest = {
  /** System instructions. */
  instructions?: string;
  /** The conversation so far, as items. Items of Ponder's own types are left out by the client. */
  items: Item[];
  tools: ToolDefinition[];
  /** "none" forbids tool calls (used for the forced final answer); "required" asks for at least one; a name forces that tool. */
  toolChoice: ModelToolChoice;
  effort?: Effort;
  maxOutputTokens?: number;
  /** false asks for at most one tool call in the turn. Sent only by clients whose `passes` says so. */
  parallelToolCalls?: boolean;
  temperature?: number;
  topP?: number;
  /** The answer must be JSON (matching `schema` when given); sent only where `passes.structuredOutput`. */
  responseFormat?: { schema?: Record<string, unknown>; name?: string; description?: string; strict?: boolean };
  /**
   * False when nobody watches the deltas: the client may make one non-streaming call and yield
   * only the `finish` part, which is cheaper. Default true.
   */
  stream?: boolean;
  signal: AbortSignal;
  /**
   * Names the conversation the request belongs to, so a provider that routes by it (OpenAI's
   * `prompt_cache_key`) sends its steps and turns to the same prompt cache.
   */
  cacheKey?: string;
};

export type ModelToolChoice = "auto" | "none" | "required" | { toolName: string };

/**
 * The request settings a client passes on to its provider. A run that needs one its client
 * cannot pass is refused before it starts (a setting is never silently dropped); a client
 * without this passes none of them.
 */
export type RequestSettingsSupport = {
  temperature: boolean;
  topP: boolean;
  parallelToolCalls: boolean;
  /** "required" and named tool choices. */
  forcedToolChoice: boolean;
  /** The provider constrains the answer to a JSON Schema itself (else Ponder validates and repairs it). */
  structuredOutput: boolean;
};

export type ModelUsage = {
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  cachedInputTokens: number;
  /** Input tokens written to the provider's prompt cache (Anthropic): part of inputTokens, billed above the input price. */
  cacheWriteInputTokens?: number;
};

export type FinishReason = "stop" | "length" | "tool-calls" | "content-filter" | "error" | "other";

/** Items of one model turn, before the loop gives them ids. */
export type TurnItem = Omit<MessageItem, "id"> | Omit<ReasoningItem, "id"> | Omit<FunctionCallItem, "id">;

/**
 * A model turn as a stream. Deltas are for live display only; the `finish` part carries the
 * complete items of the turn, which are what the loop stores.
 */
export type ModelStreamPart =
  | { type: "text-delta"; delta: string }
  | { type: "reasoning-delta"; delta: string }
  | { type: "finish"; items: TurnItem[]; usage: ModelUsage; finishReason: FinishReason };

export type ModelCapabilities = {
  /** Accepts images in the input. */
  vision: boolean;
  /** Has native reasoning (effort, summaries or thinking). */
  reasoning: boolean;
};

/** The whole provider contract Ponder's loop depends on. */
export interface ModelClient {
  /** `provider:model`, e.g. `openai:o4-mini`. */
  readonly id: string;
  readonly provider: string;
  readonly modelName: string;
  readonly capabilities: ModelCapabilities;
  /** The model's window where the client knows it (a local model's context size); see context-window.ts otherwise. */
  readonly contextWindow?: { tokens: number; maxOutputTokens: number };
  /** How this client's calls are retried, where it differs from retry.ts's defaults (from the `modelCalls` settings). */
  readonly retryPolicy?: Partial<RetryPolicy>;
  /** Which request settings reach the provider (see RequestSettingsSupport); absent: none. */
  readonly passes?: RequestSettingsSupport;
  /**
   * Streams one turn. Throws `ModelCallError` on failure (with `retryable` and `retryAfterMs`
   * set where the provider said so); retries are the caller's job (see retry.ts).
   */
  stream(request: ModelRequest): AsyncIterable<ModelStreamPart>;
}
