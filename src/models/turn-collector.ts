// Collects the parts of an AI SDK provider stream into the complete items of one turn. Deltas
// are only for display; the items built here (with their provider metadata) are what the loop
// stores and what goes back to the provider next turn.

import type { LanguageModelV3StreamPart, LanguageModelV3Usage, SharedV3ProviderMetadata } from "@ai-sdk/provider";
import { ModelCallError } from "../core/errors.js";
import type { FinishReason, ModelStreamPart, ModelToolChoice, ModelUsage, TurnItem } from "./model-client.js";

export type CollectorOptions = {
  /**
   * Where reasoning text goes: OpenAI Responses streams reasoning *summaries*; Anthropic thinking
   * and open models stream the raw reasoning *content*.
   */
  reasoningText: "summary" | "content";
};

type Metadata = Record<string, Record<string, unknown>>;
type TextEntry = { kind: "text"; text: string };
type ReasoningEntry = { kind: "reasoning"; texts: string[]; metadata: Metadata };
type CallEntry = {
  kind: "call";
  callId: string;
  name: string;
  arguments: string;
  metadata: Metadata;
  complete: boolean;
  providerExecuted: boolean;
};
type Entry = TextEntry | ReasoningEntry | CallEntry;

export class TurnCollector {
  private readonly entries: Entry[] = [];
  private readonly texts = new Map<string, TextEntry>();
  /** Stream reasoning id → the entry and the index of its text slot. */
  private readonly reasonings = new Map<string, { entry: ReasoningEntry; slot: number }>();
  private readonly calls = new Map<string, CallEntry>();
  private usage: ModelUsage | undefined;
  private finishReason: FinishReason | undefined;

  constructor(private readonly options: CollectorOptions) {}

  /** Takes one stream part; returns the delta to show live, if the part carries one. */
  accept(part: LanguageModelV3StreamPart): { type: "text-delta" | "reasoning-delta"; delta: string } | undefined {
    switch (part.type) {
      case "text-start":
        this.text(part.id);
        return undefined;
      case "text-delta":
        this.text(part.id).text += part.delta;
        return part.delta.length > 0 ? { type: "text-delta", delta: part.delta } : undefined;
      case "reasoning-start":
        this.reasoning(part.id, part.providerMetadata);
        return undefined;
      case "reasoning-delta":
      case "reasoning-end": {
        const { entry, slot } = this.reasoning(part.id, part.providerMetadata);
        mergeMetadata(entry.metadata, part.providerMetadata);
        if (part.type === "reasoning-end" || part.delta.length === 0) return undefined;
        entry.texts[slot] += part.delta;
        return { type: "reasoning-delta", delta: part.delta };
      }
      case "tool-input-start":
        this.call(part.id, part.toolName);
        return undefined;
      case "tool-call": {
        const entry = this.call(part.toolCallId, part.toolName);
        entry.arguments = part.input;
        entry.complete = true;
        entry.providerExecuted = part.providerExecuted === true;
        mergeMetadata(entry.metadata, part.providerMetadata);
        return undefined;
      }
      case "finish":
        this.usage = convertUsage(part.usage);
        this.finishReason = part.finishReason.unified;
        return undefined;
      default:
        return undefined;
    }
  }

  /** True while no text, reasoning or tool call has arrived. */
  get empty(): boolean {
    return this.entries.length === 0;
  }

  /** True once the provider's `finish` part arrived. */
  get finished(): boolean {
    return this.finishReason !== undefined;
  }

  result(): { items: TurnItem[]; usage: ModelUsage; finishReason: FinishReason } {
    return {
      items: this.entries.flatMap((entry) => this.toItems(entry)),
      usage: this.usage ?? { inputTokens: 0, outputTokens: 0, reasoningTokens: 0, cachedInputTokens: 0 },
      finishReason: this.finishReason ?? "other",
    };
  }

  private toItems(entry: Entry): TurnItem[] {
    switch (entry.kind) {
      case "text":
        return entry.text.length === 0
          ? []
          : [{ type: "message", role: "assistant", content: [{ type: "output_text", text: entry.text }] }];
      case "reasoning": {
        const texts = entry.texts.filter((text) => text.length > 0);
        const hasMetadata = Object.keys(entry.metadata).length > 0;
        if (texts.length === 0 && !hasMetadata) return [];
        const summary = this.options.reasoningText === "summary" ? texts.map((text) => ({ type: "summary_text" as const, text })) : [];
        return [
          {
            type: "reasoning",
            summary,
            ...(this.options.reasoningText === "content" && {
              content: texts.map((text) => ({ type: "reasoning_text" as const, text })),
            }),
            ...(hasMetadata && { provider_metadata: entry.metadata }),
          },
        ];
      }
      case "call":
        // Calls the provider ran itself are not Ponder's to execute; unfinished ones never completed.
        if (!entry.complete || entry.providerExecuted) return [];
        return [
          {
            type: "function_call",
            call_id: entry.callId,
            name: entry.name,
            arguments: entry.arguments,
            ...(Object.keys(entry.metadata).length > 0 && { provider_metadata: entry.metadata }),
          },
        ];
    }
  }

  private text(id: string): TextEntry {
    let entry = this.texts.get(id);
    if (entry === undefined) {
      entry = { kind: "text", text: "" };
      this.texts.set(id, entry);
      this.entries.push(entry);
    }
    return entry;
  }

  /**
   * The reasoning entry for a stream id. Parts that name the same provider item (`itemId`, as
   * OpenAI does for the several summary parts of one reasoning item) share one entry, each part
   * in its own text slot.
   */
  private reasoning(id: string, metadata: SharedV3ProviderMetadata | undefined): { entry: ReasoningEntry; slot: number } {
    const known = this.reasonings.get(id);
    if (known !== undefined) return known;
    const itemId = itemIdOf(metadata);
    const sameItem =
      itemId === undefined
        ? undefined
        : [...this.reasonings.values()].find((candidate) => itemIdOf(candidate.entry.metadata) === itemId)?.entry;
    const entry = sameItem ?? { kind: "reasoning" as const, texts: [], metadata: {} };
    if (sameItem === undefined) this.entries.push(entry);
    mergeMetadata(entry.metadata, metadata);
    const located = { entry, slot: entry.texts.push("") - 1 };
    this.reasonings.set(id, located);
    return located;
  }

  private call(callId: string, name: string): CallEntry {
    let entry = this.calls.get(callId);
    if (entry === undefined) {
      entry = { kind: "call", callId, name, arguments: "", metadata: {}, complete: false, providerExecuted: false };
      this.calls.set(callId, entry);
      this.entries.push(entry);
    }
    entry.name = name;
    return entry;
  }
}

/**
 * The `finish` part of a collected turn; throws a retryable error when the provider's stream
 * (`streamName`, e.g. "The ollama stream for qwen3:8b") ended before its finish.
 */
export function finishedTurn(
  collector: TurnCollector,
  toolChoice: ModelToolChoice,
  streamName: string,
): Extract<ModelStreamPart, { type: "finish" }> {
  if (!collector.finished) {
    const what = collector.empty ? "without any output (an empty or unreadable stream)" : "before the turn finished (cut off mid-turn)";
    throw new ModelCallError(`${streamName} ended ${what}.`, { retryable: true });
  }
  const { items, usage, finishReason } = collector.result();
  if (toolChoice !== "none") return { type: "finish", items, usage, finishReason };
  // A provider that ignored tool_choice "none" must not get tool calls into the run.
  const answerItems: TurnItem[] = items.filter((item) => item.type !== "function_call");
  return { type: "finish", items: answerItems, usage, finishReason: finishReason === "tool-calls" ? "stop" : finishReason };
}

function itemIdOf(metadata: SharedV3ProviderMetadata | Metadata | undefined): string | undefined {
  for (const fields of Object.values(metadata ?? {})) {
    const itemId = fields?.itemId;
    if (typeof itemId === "string") return itemId;
  }
  return undefined;
}

/** Later values win, except that a later null or missing value never erases an earlier one. */
function mergeMetadata(target: Metadata, source: SharedV3ProviderMetadata | undefined): void {
  for (const [provider, fields] of Object.entries(source ?? {})) {
    const merged = (target[provider] ??= {});
    for (const [key, value] of Object.entries(fields ?? {})) {
      if (value !== null && value !== undefined) merged[key] = value;
      else if (!(key in merged)) merged[key] = value;
    }
  }
}

function convertUsage(usage: LanguageModelV3Usage): ModelUsage {
  return {
    inputTokens: usage.inputTokens.total ?? 0,
    outputTokens: usage.outputTokens.total ?? 0,
    reasoningTokens: usage.outputTokens.reasoning ?? 0,
    cachedInputTokens: usage.inputTokens.cacheRead ?? 0,
    ...(usage.inputTokens.cacheWrite ? { cacheWriteInputTokens: usage.inputTokens.cacheWrite } : {}),
  };
}
