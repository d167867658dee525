// A ModelClient over any AI SDK provider model (LanguageModelV3). Ponder runs its own loop, so it
// calls the provider contract (`doStream`, or `doGenerate` when nobody watches deltas) directly: items become a provider prompt, the stream
// becomes deltas plus the turn's complete items, and every failure becomes a ModelCallError.

import {
  InvalidResponseDataError,
  type JSONSchema7,
  type LanguageModelV3,
  type LanguageModelV3CallOptions,
  type LanguageModelV3FunctionTool,
  type LanguageModelV3GenerateResult,
  type LanguageModelV3StreamPart,
} from "@ai-sdk/provider";
import { abortErrorOf, raceAbort, throwIfAborted } from "../core/abort.js";
import { withCacheBreakpoints } from "./cache-breakpoints.js";
import { providerOptionsFor } from "./effort-options.js";
import { itemsToPrompt } from "./items-to-prompt.js";
import { type ErrorContext, toModelCallError } from "./model-call-errors.js";
import { inferCapabilities, type ProviderApi } from "./model-capabilities.js";
import type { ModelCapabilities, ModelClient, ModelRequest, ModelStreamPart, RequestSettingsSupport } from "./model-client.js";
import { aiSdkRequestSettings, mergeProviderOptions, requestSettingsSupport } from "./request-settings.js";
import type { RetryPolicy } from "./retry.js";
import { TurnCollector, finishedTurn } from "./turn-collector.js";
import { logged, logger } from "../logging/logger.js";

const log = logger("models");

export type AiSdkModelClientOptions = {
  model: LanguageModelV3;
  /** The wire API the model speaks; decides effort settings, reasoning fields and tool-result images. */
  api: ProviderApi;
  /** `provider:model`; defaults to the provider package's name and the model id. */
  id?: string;
  /** Overrides of the capabilities guessed from the model name. */
  capabilities?: Partial<ModelCapabilities>;
  /** Where the provider lives, for error messages. */
  baseURL?: string;
  /** The environment variable holding the provider's key, for error messages. */
  apiKeyVariable?: string;
  /** How calls are retried, where it differs from retry.ts's defaults. */
  retryPolicy?: Partial<RetryPolicy>;
};

export class AiSdkModelClient implements ModelClient {
  readonly id: string;
  readonly provider: string;
  readonly modelName: string;
  readonly capabilities: ModelCapabilities;
  readonly retryPolicy?: Partial<RetryPolicy>;
  readonly passes: RequestSettingsSupport;
  private readonly model: LanguageModelV3;
  private readonly api: ProviderApi;
  private readonly errorContext: ErrorContext;

  constructor(options: AiSdkModelClientOptions) {
    this.model = options.model;
    this.api = options.api;
    this.retryPolicy = options.retryPolicy;
    this.id = options.id ?? `${providerPackageName(options.model)}:${options.model.modelId}`;
    const colon = this.id.indexOf(":");
    this.provider = colon === -1 ? providerPackageName(options.model) : this.id.slice(0, colon);
    this.modelName = colon === -1 ? this.id : this.id.slice(colon + 1);
    this.capabilities = { ...inferCapabilities(options.api, options.model.modelId), ...options.capabilities };
    this.passes = requestSettingsSupport(options.api, this.capabilities, "ai-sdk");
    this.errorContext = {
      provider: this.provider,
      modelName: this.modelName,
      baseURL: options.baseURL,
      apiKeyVariable: options.apiKeyVariable,
    };
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamPart> {
    const { signal } = request;
    throwIfAborted(signal);
    const collector = new TurnCollector({ reasoningText: this.api === "openai-responses" ? "summary" : "content" });
    let reader: ReadableStreamDefaultReader<LanguageModelV3StreamPart> | undefined;
    let started: Promise<{ stream: ReadableStream<LanguageModelV3StreamPart> }> | undefined;
    // Cancelling the reader ends a pending read at once, whether or not the provider honours the signal.
    const onAbort = () => void reader?.cancel().catch(logged(log, "debug", "cancelling an aborted model stream failed"));
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      if (request.stream === false) {
        const generated = await raceAbort(Promise.resolve(this.model.doGenerate(this.callOptions(request))), signal);
        for (const part of generatedParts(generated)) collector.accept(part);
      } else {
        started = Promise.resolve(this.model.doStream(this.callOptions(request)));
        reader = (await raceAbort(started, signal)).stream.getReader();
      }
      while (reader !== undefined) {
        const next = await reader.read();
        if (next.done) break;
        const part = next.value;
        // A stream that ended without saying how it finished is reported by finishedTurn below,
        // the same way for every provider; the providers end even an empty or cut stream with
        // a `finish` part (reason "other", or "error" after an error part like this one).
        if (part.type === "error" && !endedWithoutFinish(part.error)) throw part.error;
        if (part.type === "error" || isUnsaidFinish(part)) continue;
        const delta = collector.accept(part);
        if (delta !== undefined) yield delta;
      }
      throwIfAborted(signal);
    } catch (error) {
      // Our own abort wins over whatever error it caused inside the provider.
      if (signal.aborted) throw abortErrorOf(signal);
      throw toModelCallError(error, this.errorContext);
    } finally {
      signal.removeEventListener("abort", onAbort);
      // Stops the HTTP response when the caller stops early or the call failed, also when an
      // abort left the provider's stream to arrive after we stopped waiting for it.
      if (reader !== undefined) reader.cancel().catch(logged(log, "debug", "cancelling a finished model stream failed"));
      else
        started?.then((result) => result.stream.cancel()).catch(logged(log, "debug", "cancelling a model stream that arrived late failed"));
    }
    yield finishedTurn(collector, request.toolChoice, `The ${this.provider} stream for ${this.modelName}`);
  }

  private callOptions(request: ModelRequest): LanguageModelV3CallOptions {
    const tools: LanguageModelV3FunctionTool[] = request.tools.map((tool) => ({
      type: "function",
      name: tool.name,
      description: tool.description,
      inputSchema: tool.inputSchema as JSONSchema7,
      ...(tool.strict !== undefined && { strict: tool.strict }),
    }));
    // OpenAI-compatible servers (older Ollama, llama.cpp) may ignore tool_choice "none"; without
    // tool definitions they cannot call tools at all. OpenAI and Anthropic honour "none", and
    // Anthropic needs the definitions whenever the history holds tool calls.
    const sendTools = tools.length > 0 && !(request.toolChoice === "none" && this.api === "openai-compatible");
    const prompt = itemsToPrompt(request.instructions, request.items, {
      toolResultImages: this.api === "openai-responses" || this.api === "anthropic-messages" ? "inline" : "user-message",
    });
    const settings = aiSdkRequestSettings(this.api, request);
    const options = mergeProviderOptions(
      providerOptionsFor({
        api: this.api,
        modelName: this.model.modelId,
        capabilities: this.capabilities,
        effort: request.effort,
        compatibleOptionsKey: providerPackageName(this.model),
      }),
      settings.providerOptions,
    );
    return {
      ...settings,
      // Prompt caching: Anthropic caches only up to marked breakpoints; OpenAI caches by itself
      // and routes by a key, which keeps a conversation's steps on one cache.
      prompt: this.api === "anthropic-messages" ? withCacheBreakpoints(prompt) : prompt,
      tools: sendTools ? tools : undefined,
      toolChoice: !sendTools
        ? undefined
        : typeof request.toolChoice === "string"
          ? { type: request.toolChoice }
          : { type: "tool", toolName: request.toolChoice.toolName },
      maxOutputTokens: request.maxOutputTokens,
      providerOptions:
        request.cacheKey !== undefined && (this.api === "openai-responses" || this.api === "openai-chat")
          ? { ...options, openai: { ...options?.openai, promptCacheKey: request.cacheKey } }
          : options,
      abortSignal: request.signal,
    };
  }
}

/** A finish part the provider made up at the stream's end, when the stream never said how the turn finished. */
function isUnsaidFinish(part: LanguageModelV3StreamPart): boolean {
  return (
    part.type === "finish" &&
    part.finishReason.raw === undefined &&
    (part.finishReason.unified === "other" || part.finishReason.unified === "error")
  );
}

/** The openai-compatible provider's own error for a stream that ended without a finish reason. */
function endedWithoutFinish(error: unknown): boolean {
  return InvalidResponseDataError.isInstance(error) && /without a finish reason/.test(error.message);
}

/** "openai.responses" → "openai": the provider name, which is also its providerOptions key. */
function providerPackageName(model: LanguageModelV3): string {
  return model.provider.split(".")[0] ?? model.provider;
}

/** A non-streaming result as the stream parts it stands for, so one collector handles both. */
function* generatedParts(result: LanguageModelV3GenerateResult): Generator<LanguageModelV3StreamPart> {
  for (const [index, content] of result.content.entries()) {
    const id = String(index);
    if (content.type === "text") {
      yield { type: "text-start", id, providerMetadata: content.providerMetadata };
      yield { type: "text-delta", id, delta: content.text };
      yield { type: "text-end", id, providerMetadata: content.providerMetadata };
    } else if (content.type === "reasoning") {
      yield { type: "reasoning-start", id, providerMetadata: content.providerMetadata };
      yield { type: "reasoning-delta", id, delta: content.text, providerMetadata: content.providerMetadata };
      yield { type: "reasoning-end", id, providerMetadata: content.providerMetadata };
    } else if (content.type === "tool-call") {
      yield content;
    }
  }
  yield { type: "finish", usage: result.usage, finishReason: result.finishReason, providerMetadata: result.providerMetadata };
}
