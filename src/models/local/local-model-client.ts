// A ModelClient for a GGUF model run in-process by node-llama-cpp (`local:<path.gguf>`). One turn:
// the items become a chat history in the model's own chat template; with tools the reply is
// grammar-constrained JSON (tool-turn-format.ts); without, free text streamed as it comes, with
// thinking (thought segments or `<think>` blocks) mapped to reasoning items.

import type { ChatHistoryItem, LlamaModel } from "node-llama-cpp";
import { ModelCallError, ModelNotConfiguredError, errorMessage, isAbortError } from "../../core/errors.js";
import type { Item } from "../../core/items.js";
import type { FinishReason, ModelCapabilities, ModelClient, ModelRequest, ModelStreamPart, TurnItem } from "../model-client.js";
import { acquireSequence, createSequence, releaseSequence, sharedPrefixLength, type KeptSequence } from "./kept-sequences.js";
import { loadLlama, loadModel } from "./loaded-models.js";
import { resolveLocalModelFile } from "./local-model-source.js";
import { ThinkSplitter } from "./think-splitter.js";
import { callAsReply, parseToolTurn, toolInstructions, toolResultText, toolTurnSchema } from "./tool-turn-format.js";

export type LocalModelOptions = {
  /** Where `local:hf:...` and `local:default` models are cached (`<home>/models`). */
  home: string;
  /** Context window in tokens; default the model's own, at most 8192 (memory grows with it). */
  contextSize?: number;
  /** CPU threads; default node-llama-cpp's choice. */
  threads?: number;
  /**
   * Sampling temperature; default 0.8 (llama.cpp's suggestion), so that the samples of best-of-N,
   * vote and evals differ as they do with API models. 0 is greedy: the same prompt, the same reply.
   */
  temperature?: number;
  /** Seeds sampling: turn n of this client uses seed + n, so runs repeat and samples still differ. */
  seed?: number;
  /** Output tokens per turn when the request sets none; default 2048. */
  maxOutputTokens?: number;
  /**
   * Keep each turn's context sequence for the next turn, which then evaluates only the tokens
   * after the prefix the two prompts share (kept-sequences.ts). Default true; false is for
   * measuring what it saves.
   */
  reusePrefix?: boolean;
  capabilities?: Partial<ModelCapabilities>;
};

const defaultMaxOutputTokens = 2048;
const defaultTemperature = 0.8;

const defaultContextSize = 8192;

export class LocalModelClient implements ModelClient {
  readonly id: string;
  readonly provider = "local";
  readonly capabilities: ModelCapabilities;
  // Sampling settings go to node-llama-cpp; tool calls come from a grammar that cannot force one.
  readonly passes = { temperature: true, topP: true, parallelToolCalls: false, forcedToolChoice: false, structuredOutput: false };
  readonly contextWindow: { tokens: number; maxOutputTokens: number };
  private callCount = 0;
  private turnCount = 0;

  constructor(
    readonly modelName: string,
    private readonly options: LocalModelOptions,
  ) {
    this.id = `local:${modelName}`;
    this.capabilities = { vision: false, reasoning: false, ...options.capabilities };
    const tokens = options.contextSize ?? defaultContextSize;
    this.contextWindow = { tokens, maxOutputTokens: Math.floor(tokens / 4) };
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamPart> {
    const path = await resolveLocalModelFile(this.modelName, this.options.home, request.signal);
    const model = await loadModel(path).catch((error: unknown) => {
      // node-llama-cpp not installed: its own message names the install command.
      if (error instanceof ModelNotConfiguredError) throw error;
      throw new ModelCallError(`node-llama-cpp could not load ${path}: ${errorMessage(error)}`, {
        retryable: false,
        hint: "Check that the file is a complete GGUF model (re-download it if it was cut short).",
      });
    });
    const deltas: ModelStreamPart[] = [];
    let wake: (() => void) | undefined;
    const push = (part: ModelStreamPart) => {
      deltas.push(part);
      wake?.();
    };
    let done = false;
    const turn = this.generate(model, request, push).finally(() => {
      done = true;
      wake?.();
    });
    // Deltas arrive from node-llama-cpp's callbacks; hand them out as they come.
    while (!done || deltas.length > 0) {
      const next = deltas.shift();
      if (next) yield next;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
    yield await turn;
  }

  private async generate(model: LlamaModel, request: ModelRequest, push: (part: ModelStreamPart) => void): Promise<ModelStreamPart> {
    const llama = await loadLlama();
    const settings = { contextSize: this.options.contextSize ?? defaultContextSize, threads: this.options.threads };
    const reusePrefix = this.options.reusePrefix ?? true;
    const kept: KeptSequence = reusePrefix ? await acquireSequence(model, settings) : await createSequence(model, settings);
    const { sequence, chat } = kept;
    const tokensBefore = [...sequence.contextTokens];
    const meterBefore = { input: sequence.tokenMeter.usedInputTokens, output: sequence.tokenMeter.usedOutputTokens };
    let healthy = false;
    try {
      const useTools = request.toolChoice !== "none" && request.tools.length > 0;
      const grammar = useTools ? await llama.createGrammarForJsonSchema(toolTurnSchema(request.tools) as never) : undefined;
      const history = chatHistory(request, useTools);
      const splitter = new ThinkSplitter();
      let reasoning = "";
      let text = "";
      const response = await chat.generateResponse(history, {
        grammar,
        maxTokens: request.maxOutputTokens ?? this.options.maxOutputTokens ?? defaultMaxOutputTokens,
        temperature: request.temperature ?? this.options.temperature ?? defaultTemperature,
        topP: request.topP,
        seed: this.options.seed === undefined ? undefined : this.options.seed + this.turnCount++,
        signal: request.signal,
        onResponseChunk: (chunk) => {
          const pieces = chunk.type === "segment" ? [{ kind: "reasoning" as const, text: chunk.text }] : splitter.push(chunk.text);
          for (const piece of pieces) {
            if (piece.kind === "reasoning") {
              reasoning += piece.text;
              push({ type: "reasoning-delta", delta: piece.text });
            } else {
              text += piece.text;
              // A constrained reply is JSON; its answer is shown once parsed, not as raw JSON.
              if (!useTools) push({ type: "text-delta", delta: piece.text });
            }
          }
        },
      });
      for (const piece of splitter.flush()) {
        if (piece.kind === "reasoning") reasoning += piece.text;
        else text += piece.text;
      }
      const items: TurnItem[] = [];
      if (reasoning.trim() !== "") items.push({ type: "reasoning", summary: [], content: [{ type: "reasoning_text", text: reasoning }] });
      let finishReason: FinishReason = response.metadata.stopReason === "maxTokens" ? "length" : "stop";
      if (useTools) {
        const reply = parseToolTurn(text);
        if (reply.kind === "call") {
          items.push({
            type: "function_call",
            call_id: `call_${Date.now().toString(36)}_${this.callCount++}`,
            name: reply.name,
            arguments: reply.arguments,
          });
          finishReason = "tool-calls";
        } else {
          push({ type: "text-delta", delta: reply.text });
          items.push(assistantMessage(reply.text));
        }
      } else if (text !== "") {
        items.push(assistantMessage(text));
      }
      // The prompt's tokens that were already in the sequence were not evaluated again: they
      // count as cached input, as a provider's prompt cache reports them. Only the prompt's: a
      // reply that happens to repeat what the sequence held was still generated.
      const outputTokens = sequence.tokenMeter.usedOutputTokens - meterBefore.output;
      const promptLength = Math.max(0, sequence.contextTokens.length - outputTokens);
      const cachedInputTokens = Math.min(sharedPrefixLength(tokensBefore, sequence.contextTokens), promptLength);
      healthy = true;
      return {
        type: "finish",
        items,
        usage: {
          inputTokens: sequence.tokenMeter.usedInputTokens - meterBefore.input + cachedInputTokens,
          outputTokens,
          reasoningTokens: 0,
          cachedInputTokens,
        },
        finishReason,
      };
    } catch (error) {
      if (isAbortError(error) || request.signal.aborted) throw error;
      throw new ModelCallError(`The local model ${this.id} failed: ${errorMessage(error)}`, { retryable: false });
    } finally {
      // A sequence whose turn failed or was stopped part-way is not trusted with the next turn.
      if (reusePrefix && healthy) await releaseSequence(model, settings, kept);
      else await kept.context.dispose();
    }
  }
}

function assistantMessage(text: string): TurnItem {
  return { type: "message", role: "assistant", content: [{ type: "output_text", text }] };
}

/** Items → node-llama-cpp's chat history; the chat template of the model does the rest. */
function chatHistory(request: ModelRequest, useTools: boolean): ChatHistoryItem[] {
  const system = [request.instructions ?? "", useTools ? toolInstructions(request.tools) : ""].filter((part) => part !== "").join("\n\n");
  const history: ChatHistoryItem[] = system === "" ? [] : [{ type: "system", text: system }];
  const callNames = new Map<string, string>();
  const modelSays = (text: string) => {
    const last = history.at(-1);
    if (last?.type === "model") last.response.push(text);
    else history.push({ type: "model", response: [text] });
  };
  for (const item of request.items as Item[]) {
    if (item.type === "message") {
      const text = item.content
        .map((part) => (part.type === "input_image" ? "[image not shown: this model reads text only]" : part.text))
        .join("\n");
      if (item.role === "assistant") modelSays(text);
      else history.push({ type: "user", text });
    } else if (item.type === "function_call") {
      callNames.set(item.call_id, item.name);
      modelSays(callAsReply(item));
    } else if (item.type === "function_call_output") {
      history.push({ type: "user", text: toolResultText(item, callNames.get(item.call_id) ?? "tool") });
    }
  }
  // The template needs a turn to answer; a history that ends with the model continues as the user.
  if (history.at(-1)?.type !== "user") history.push({ type: "user", text: "Continue." });
  history.push({ type: "model", response: [] });
  return history;
}
