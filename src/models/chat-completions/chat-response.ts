// Reads Chat Completions responses (one JSON body, or streamed chunks) into the TurnCollector
// that every client shares, so a turn becomes the same items whichever client made it. Fields are
// checked by hand where they are used, not with a schema per chunk: this runs for every token.
// Reasoning arrives as `reasoning_content` (vLLM, DeepSeek, llama.cpp) or `reasoning` (Ollama,
// OpenRouter).

import { randomUUID } from "node:crypto";
import type { LanguageModelV3FinishReason, LanguageModelV3Usage } from "@ai-sdk/provider";
import type { TurnCollector } from "../turn-collector.js";

type Delta = { type: "text-delta" | "reasoning-delta"; delta: string };
type JsonObject = Record<string, unknown>;
type PendingCall = { id: string; name: string; arguments: string };

const textId = "text";
const reasoningId = "reasoning";

/** A response body that is not a Chat Completion. */
export class UnreadableResponseError extends Error {}

/** The deltas of a stream, chunk by chunk, and the turn's end once the stream is over. */
export class ChatChunkReader {
  private readonly calls = new Map<number, PendingCall>();
  private finishReason: string | undefined;
  private usage: unknown;
  private done = false;
  private sawChunk = false;

  constructor(private readonly collector: TurnCollector) {}

  /** Takes one parsed chunk; `emit` receives the deltas to show live. */
  accept(chunk: JsonObject, emit: (delta: Delta) => void): void {
    this.sawChunk = true;
    if (chunk.usage !== undefined && chunk.usage !== null) this.usage = chunk.usage;
    const choice = firstChoice(chunk);
    if (choice === undefined) return;
    if (typeof choice.finish_reason === "string") this.finishReason = choice.finish_reason;
    const delta = asObject(choice.delta);
    if (delta === undefined) return;
    const reasoning = reasoningOf(delta);
    if (reasoning !== undefined && reasoning.length > 0) {
      const shown = this.collector.accept({ type: "reasoning-delta", id: reasoningId, delta: reasoning });
      if (shown !== undefined) emit(shown);
    }
    if (typeof delta.content === "string" && delta.content.length > 0) {
      const shown = this.collector.accept({ type: "text-delta", id: textId, delta: delta.content });
      if (shown !== undefined) emit(shown);
    }
    if (Array.isArray(delta.tool_calls)) {
      for (const [position, value] of delta.tool_calls.entries()) this.acceptCallDelta(asObject(value) ?? {}, position);
    }
  }

  /** `data: [DONE]`: the stream says it is complete. */
  markDone(): void {
    this.done = true;
  }

  /**
   * Closes the turn; false when the stream ended without saying it was complete: no finish
   * reason, and no `[DONE]` after at least one chunk (older servers send no finish reason).
   */
  finish(): boolean {
    if (this.finishReason === undefined && !(this.done && this.sawChunk)) return false;
    for (const call of this.calls.values()) {
      this.collector.accept({ type: "tool-call", toolCallId: call.id, toolName: call.name, input: call.arguments });
    }
    this.collector.accept({ type: "finish", usage: usageOf(this.usage), finishReason: finishReasonOf(this.finishReason) });
    return true;
  }

  private acceptCallDelta(delta: JsonObject, position: number): void {
    const index = typeof delta.index === "number" ? delta.index : position;
    const fn = asObject(delta.function) ?? {};
    let call = this.calls.get(index);
    if (call === undefined) {
      call = { id: typeof delta.id === "string" && delta.id !== "" ? delta.id : generatedCallId(), name: "", arguments: "" };
      this.calls.set(index, call);
      // Started now so it keeps its place after any text that came before it.
      this.collector.accept({ type: "tool-input-start", id: call.id, toolName: "" });
    }
    if (typeof fn.name === "string") call.name += fn.name;
    if (typeof fn.arguments === "string") call.arguments += fn.arguments;
  }
}

/** Feeds a non-streamed response body to the collector. */
export function acceptCompletion(collector: TurnCollector, body: unknown): void {
  const choice = firstChoice(asObject(body) ?? {});
  const message = asObject(choice?.message);
  if (choice === undefined || message === undefined) throw new UnreadableResponseError("the body has no choices[0].message");
  const reasoning = reasoningOf(message);
  if (reasoning !== undefined && reasoning.length > 0) collector.accept({ type: "reasoning-delta", id: reasoningId, delta: reasoning });
  if (typeof message.content === "string" && message.content.length > 0)
    collector.accept({ type: "text-delta", id: textId, delta: message.content });
  for (const value of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    const call = asObject(value) ?? {};
    const fn = asObject(call.function) ?? {};
    collector.accept({
      type: "tool-call",
      toolCallId: typeof call.id === "string" && call.id !== "" ? call.id : generatedCallId(),
      toolName: typeof fn.name === "string" ? fn.name : "",
      input: typeof fn.arguments === "string" ? fn.arguments : JSON.stringify(fn.arguments ?? {}),
    });
  }
  const finishReason = typeof choice.finish_reason === "string" ? choice.finish_reason : undefined;
  collector.accept({ type: "finish", usage: usageOf(asObject(body)?.usage), finishReason: finishReasonOf(finishReason) });
}

function firstChoice(body: JsonObject): JsonObject | undefined {
  return Array.isArray(body.choices) ? asObject(body.choices[0]) : undefined;
}

function reasoningOf(message: JsonObject): string | undefined {
  if (typeof message.reasoning_content === "string") return message.reasoning_content;
  return typeof message.reasoning === "string" ? message.reasoning : undefined;
}

function asObject(value: unknown): JsonObject | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

function generatedCallId(): string {
  return `call_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
}

function finishReasonOf(raw: string | undefined): LanguageModelV3FinishReason {
  switch (raw) {
    case "stop":
      return { unified: "stop", raw };
    case "length":
      return { unified: "length", raw };
    case "tool_calls":
    case "function_call":
      return { unified: "tool-calls", raw };
    case "content_filter":
      return { unified: "content-filter", raw };
    default:
      return { unified: "other", raw };
  }
}

function usageOf(value: unknown): LanguageModelV3Usage {
  const usage = asObject(value) ?? {};
  const count = (field: unknown) => (typeof field === "number" ? field : undefined);
  const input = count(usage.prompt_tokens);
  const output = count(usage.completion_tokens);
  const cached = count(asObject(usage.prompt_tokens_details)?.cached_tokens);
  const reasoning = count(asObject(usage.completion_tokens_details)?.reasoning_tokens);
  return {
    inputTokens: {
      total: input,
      noCache: input !== undefined && cached !== undefined ? input - cached : input,
      cacheRead: cached,
      cacheWrite: undefined,
    },
    outputTokens: { total: output, text: output !== undefined && reasoning !== undefined ? output - reasoning : output, reasoning },
  };
}
