import { addUsage } from "../core/budget.js";
import type { Effort } from "../core/effort.js";
import type { RunEvent } from "../core/events.js";
import { ModelCallError } from "../core/errors.js";
import type { Item } from "../core/items.js";
import type {
  ModelClient,
  ModelRequest,
  ModelToolChoice,
  ModelUsage,
  ToolDefinition,
  TurnItem,
  FinishReason,
} from "../models/model-client.js";
import { costOf, priceOf, type Cost, type ModelPrice } from "../models/prices.js";
import type { RunPatch } from "../store/run-store.js";
import { streamWithRetry } from "../models/retry.js";
import type { NewItem, RunJournal } from "./run-journal.js";
import { newId } from "../core/ids.js";

export type ModelTurnOptions = {
  model: ModelClient;
  instructions: string;
  tools: ToolDefinition[];
  toolChoice: ModelToolChoice;
  /** Settings of the client's request passed on to the provider (see RunSpec: sampling, answerFormat, parallelToolCalls). */
  settings?: Pick<ModelRequest, "parallelToolCalls" | "temperature" | "topP" | "responseFormat" | "maxOutputTokens">;
  /** Says what is wrong with an answer in the wrong format: such an answer does not end the run. */
  checkAnswer?: (answer: string) => string | undefined;
  effort: Effort;
  signal: AbortSignal;
  /** Whether anyone watches text and reasoning deltas; without watchers a turn is one plain call. */
  streamDeltas: boolean;
  /** Retries stop when the next wait would pass this time (epoch ms). */
  retryDeadline?: number;
  /** What a turn's usage costs (see turnPricing). */
  costOf: (usage: ModelUsage) => Cost;
  /**
   * Set when an answer ends the run: a turn that answers (text, no tool calls) then also
   * records the run as completed in its own checkpoint, one commit instead of two.
   */
  finishWhenAnswered?: boolean;
  emit: (event: RunEvent) => void;
  /** A follow-up's earlier turns (see conversation-context.ts): sent before the run's own items. */
  earlierItems: readonly Item[];
  /** What the model is sent for the log's items (context/context-view.ts); the items themselves otherwise. */
  view?: (items: Item[]) => Item[];
};

export type ModelTurnResult = {
  items: Item[];
  finishReason: FinishReason;
  usage: ModelUsage;
  costUsd: number;
  /**
   * Settles when the turn's checkpoint is committed (it rejects if the commit failed). A turn
   * that ends the run is committed before takeModelTurn returns; otherwise the caller decides
   * whether its tool calls must wait for it (see run-loop.ts).
   */
  committed: Promise<void>;
};

/** Streams one model turn (with retries) and checkpoints its items and usage as one step. */
export async function takeModelTurn(journal: RunJournal, options: ModelTurnOptions): Promise<ModelTurnResult> {
  const request: ModelRequest = {
    instructions: options.instructions,
    // A copy: the journal keeps growing while a client may still hold the request.
    items: (options.view ?? ((items) => items))([...options.earlierItems, ...journal.items]),
    tools: options.tools,
    toolChoice: options.toolChoice,
    ...options.settings,
    effort: options.effort,
    stream: options.streamDeltas,
    signal: options.signal,
    // Every turn of a conversation shares its prompt prefix, so they share one cache key.
    cacheKey: journal.record.conversationId ?? journal.runId,
  };
  const runId = journal.runId;
  // The ids the turn's first message and reasoning will be stored under, named by their deltas as they stream.
  const streamedIds = { message: newId("msg"), reasoning: newId("rs") };
  const started = Date.now();
  let finish: { items: TurnItem[]; usage: ModelUsage; finishReason: FinishReason } | undefined;
  const stream = streamWithRetry(options.model, request, {
    deadline: options.retryDeadline,
    onRetry: ({ attempt, delayMs, reason }) => options.emit({ type: "retry-scheduled", runId, attempt, delayMs, reason }),
  });
  for await (const part of stream) {
    if (part.type === "text-delta") options.emit({ type: "text-delta", runId, delta: part.delta, itemId: streamedIds.message });
    else if (part.type === "reasoning-delta")
      options.emit({ type: "reasoning-delta", runId, delta: part.delta, itemId: streamedIds.reasoning });
    else finish = part;
  }
  // Every client ends a turn with `finish` or throws; a client that does neither is broken, not the run.
  if (!finish) throw new ModelCallError(`The model client of ${options.model.id} ended a turn without finishing it.`, { retryable: false });

  const cost = options.costOf(finish.usage);
  const usage = addUsage(journal.usage, {
    steps: 1,
    inputTokens: finish.usage.inputTokens,
    outputTokens: finish.usage.outputTokens,
    reasoningTokens: finish.usage.reasoningTokens,
    cachedInputTokens: finish.usage.cachedInputTokens,
    costUsd: cost.costUsd,
    costKnown: cost.known,
  });
  const said = options.finishWhenAnswered ? answerOf(finish.items) : undefined;
  // An answer in the wrong format does not end the run: the loop asks for a repair.
  const answer = said !== undefined && options.checkAnswer?.(said) !== undefined ? undefined : said;
  const patch: RunPatch =
    answer === undefined
      ? { usage }
      : { usage, status: "completed", result: { answer, stopReason: "answered" }, finishedAt: new Date().toISOString() };
  const { items, durable } = journal.appendSoon(withStreamedIds(finish.items, streamedIds), patch, {
    step: usage.steps,
    model: options.model.id,
    ...finish.usage,
    costUsd: cost.costUsd,
    durationMs: Date.now() - started,
    finishReason: finish.finishReason,
  });
  // Whoever leaves it pending awaits it later; this only keeps Node from calling it unhandled meanwhile.
  durable.catch(() => undefined);
  if (answer !== undefined) await durable;
  return { items, finishReason: finish.finishReason, usage: finish.usage, costUsd: cost.costUsd, committed: durable };
}

/** The turn's items, its first message and first reasoning under the ids their deltas named. */
function withStreamedIds(items: readonly TurnItem[], ids: { message: string; reasoning: string }): NewItem[] {
  const given = new Set<string>();
  return items.map((item) => {
    if ((item.type !== "message" && item.type !== "reasoning") || given.has(item.type)) return item;
    given.add(item.type);
    return { ...item, id: ids[item.type] };
  });
}

/** A model's cost function with its price looked up once: the lookup walks the whole price table. */
export function turnPricing(modelId: string, prices: Record<string, ModelPrice> | undefined): (usage: ModelUsage) => Cost {
  const price = priceOf(modelId, prices);
  if (price === undefined) {
    // Without a price the cost does not depend on the usage.
    const unpriced = costOf(modelId, { inputTokens: 0, outputTokens: 0, reasoningTokens: 0, cachedInputTokens: 0 }, prices);
    return () => unpriced;
  }
  const only = { [modelId]: price };
  return (usage) => costOf(modelId, usage, only);
}

/**
 * The answer a turn gives when it ends the run: its last message's text, when it made no tool
 * calls and said something (what deriveRunState would then call answered).
 */
function answerOf(items: readonly TurnItem[]): string | undefined {
  let answer: string | undefined;
  let saidSomething = false;
  for (const item of items) {
    if (item.type === "function_call") return undefined;
    if (item.type !== "message") continue;
    answer = item.content.map((part) => ("text" in part ? part.text : "")).join("");
    saidSomething ||= item.content.length > 0;
  }
  return saidSomething ? answer : undefined;
}
