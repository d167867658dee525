import { addUsage } from "../core/budget.js";
import type { Effort } from "../core/effort.js";
import type { RunEvent } from "../core/events.js";
import type { Item } from "../core/items.js";
import type { ModelClient, ModelRequest, ModelUsage, ToolDefinition, TurnItem, FinishReason } from "../models/model-client.js";
import { costOf, type ModelPrice } from "../models/prices.js";
import { streamWithRetry } from "../models/retry.js";
import type { RunJournal } from "./run-journal.js";

export type ModelTurnOptions = {
  model: ModelClient;
  instructions: string;
  tools: ToolDefinition[];
  toolChoice: "auto" | "none";
  effort: Effort;
  signal: AbortSignal;
  /** Whether anyone watches text and reasoning deltas; without watchers a turn is one plain call. */
  streamDeltas: boolean;
  /** Retries stop when the next wait would pass this time (epoch ms). */
  retryDeadline?: number;
  prices?: Record<string, ModelPrice>;
  emit: (event: RunEvent) => void;
};

export type ModelTurnResult = {
  items: Item[];
  finishReason: FinishReason;
  usage: ModelUsage;
  costUsd: number;
};

/** Streams one model turn (with retries) and checkpoints its items and usage as one step. */
export async function takeModelTurn(journal: RunJournal, options: ModelTurnOptions): Promise<ModelTurnResult> {
  const request: ModelRequest = {
    instructions: options.instructions,
    // A copy: the journal keeps growing while a client may still hold the request.
    items: [...journal.items],
    tools: options.tools,
    toolChoice: options.toolChoice,
    effort: options.effort,
    stream: options.streamDeltas,
    signal: options.signal,
  };
  const runId = journal.runId;
  const started = Date.now();
  let finish: { items: TurnItem[]; usage: ModelUsage; finishReason: FinishReason } | undefined;
  const stream = streamWithRetry(options.model, request, {
    deadline: options.retryDeadline,
    onRetry: ({ attempt, delayMs, reason }) => options.emit({ type: "retry-scheduled", runId, attempt, delayMs, reason }),
  });
  for await (const part of stream) {
    if (part.type === "text-delta") options.emit({ type: "text-delta", runId, delta: part.delta });
    else if (part.type === "reasoning-delta") options.emit({ type: "reasoning-delta", runId, delta: part.delta });
    else finish = part;
  }
  if (!finish) throw new Error(`The model stream of ${options.model.id} ended without finishing its turn.`);

  const cost = costOf(options.model.id, finish.usage, options.prices);
  const usage = addUsage(journal.usage, {
    steps: 1,
    inputTokens: finish.usage.inputTokens,
    outputTokens: finish.usage.outputTokens,
    reasoningTokens: finish.usage.reasoningTokens,
    cachedInputTokens: finish.usage.cachedInputTokens,
    costUsd: cost.costUsd,
    costKnown: cost.known,
  });
  const items = await journal.append(finish.items, { usage }, {
    step: usage.steps,
    model: options.model.id,
    ...finish.usage,
    costUsd: cost.costUsd,
    durationMs: Date.now() - started,
    finishReason: finish.finishReason,
  });
  return { items, finishReason: finish.finishReason, usage: finish.usage, costUsd: cost.costUsd };
}
