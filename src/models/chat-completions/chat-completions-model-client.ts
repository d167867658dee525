// A ModelClient that speaks Chat Completions itself: OpenAI with `api: "chat"`, Ollama, vLLM,
// llama.cpp, LM Studio and every other OpenAI-compatible server. It does what the AI SDK's chat
// providers do for Ponder (same prompt conversion, same collector, same error mapping) without
// their per-call layers: the fetch Request/Response objects and web streams, a zod parse of every
// chunk, header merging. Measured on the 5-step harness bench, the provider layer was most of
// Ponder's per-step overhead; docs/architecture.md has the numbers. Other APIs (Responses,
// Anthropic Messages) keep the AI SDK providers.

import { APICallError } from "@ai-sdk/provider";
import { abortErrorOf, throwIfAborted } from "../../core/abort.js";
import { type ErrorContext, toModelCallError, unreadableResponse } from "../model-call-errors.js";
import { type ProviderApi, inferCapabilities } from "../model-capabilities.js";
import { type ModelCallTimeouts, modelCallTimeouts } from "../model-call-timeouts.js";
import type { ModelCapabilities, ModelClient, ModelRequest, ModelStreamPart, RequestSettingsSupport } from "../model-client.js";
import { requestSettingsSupport } from "../request-settings.js";
import type { RetryPolicy } from "../retry.js";
import { TurnCollector, finishedTurn } from "../turn-collector.js";
import { ChatChunkReader, UnreadableResponseError, acceptCompletion } from "./chat-response.js";
import { chatRequestBody } from "./chat-request.js";
import { type HttpResponse, type PostTarget, postJson, postTarget } from "./http-post.js";
import { serverSentEventData } from "./server-sent-events.js";

export type ChatCompletionsModelClientOptions = {
  /** `provider:model`, e.g. `ollama:qwen3:8b`. */
  id: string;
  /** Up to `/v1`: the client posts to `<baseURL>/chat/completions`. */
  baseURL: string;
  apiKey?: string;
  /** "openai-chat" for OpenAI itself (developer role, max_completion_tokens), else "openai-compatible". */
  api: Extract<ProviderApi, "openai-chat" | "openai-compatible">;
  capabilities?: Partial<ModelCapabilities>;
  /** Sent with every request, after Ponder's own. */
  headers?: Record<string, string>;
  /** The environment variable holding the key, for error messages. */
  apiKeyVariable?: string;
  /** Connect and idle timeouts; the defaults of model-call-timeouts.ts where missing. */
  timeouts?: Partial<ModelCallTimeouts>;
  /** How calls are retried, where it differs from retry.ts's defaults. */
  retryPolicy?: Partial<RetryPolicy>;
};

export class ChatCompletionsModelClient implements ModelClient {
  readonly id: string;
  readonly provider: string;
  readonly modelName: string;
  readonly capabilities: ModelCapabilities;
  readonly retryPolicy?: Partial<RetryPolicy>;
  readonly passes: RequestSettingsSupport;
  private readonly url: URL;
  private readonly target: PostTarget;
  private readonly api: ChatCompletionsModelClientOptions["api"];
  private readonly errorContext: ErrorContext;

  constructor(options: ChatCompletionsModelClientOptions) {
    const colon = options.id.indexOf(":");
    this.id = options.id;
    this.provider = colon === -1 ? "compat" : options.id.slice(0, colon);
    this.modelName = colon === -1 ? options.id : options.id.slice(colon + 1);
    this.api = options.api;
    this.capabilities = { ...inferCapabilities(options.api, this.modelName), ...options.capabilities };
    this.passes = requestSettingsSupport(options.api, this.capabilities, "chat-completions");
    this.url = new URL(`${options.baseURL.replace(/\/+$/, "")}/chat/completions`);
    this.retryPolicy = options.retryPolicy;
    this.target = postTarget(
      this.url,
      {
        accept: "application/json, text/event-stream",
        ...(options.apiKey && { authorization: `Bearer ${options.apiKey}` }),
        ...options.headers,
      },
      modelCallTimeouts(options.timeouts),
    );
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
    const streaming = request.stream !== false;
    const collector = new TurnCollector({ reasoningText: "content" });
    const body = chatRequestBody(request, { api: this.api, modelName: this.modelName, capabilities: this.capabilities }, streaming);
    let response: HttpResponse | undefined;
    try {
      response = await postJson(this.target, body, signal);
      if (response.status < 200 || response.status >= 300) throw await this.statusError(response, body);
      if (!streaming) {
        acceptCompletion(collector, parseJson(await response.body.text()));
      } else {
        const reader = new ChatChunkReader(collector);
        const deltas: { type: "text-delta" | "reasoning-delta"; delta: string }[] = [];
        const collect = (delta: (typeof deltas)[number]) => void deltas.push(delta);
        for await (const data of serverSentEventData(response.body)) {
          if (data === "[DONE]") {
            reader.markDone();
            continue;
          }
          const chunk = parseJson(data);
          if (chunk.error !== undefined && chunk.error !== null) throw toModelCallError(chunk.error, this.errorContext);
          reader.accept(chunk, collect);
          for (const delta of deltas) yield delta;
          deltas.length = 0;
        }
        reader.finish();
      }
      throwIfAborted(signal);
    } catch (error) {
      // Our own abort wins over whatever error it caused in the connection.
      if (signal.aborted) throw abortErrorOf(signal);
      if (error instanceof UnreadableResponseError) throw unreadableResponse(error.message, this.errorContext, response?.status);
      throw toModelCallError(error, this.errorContext);
    } finally {
      // Stops the response when the caller stopped early or the call failed.
      if (response !== undefined && !response.body.readableEnded) response.body.destroy();
    }
    yield finishedTurn(collector, request.toolChoice, `The ${this.provider} stream for ${this.modelName}`);
  }

  private async statusError(response: HttpResponse, requestBody: Buffer): Promise<APICallError> {
    const text = await response.body.text().catch(() => "");
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
    const error = typeof data === "object" && data !== null ? (data as { error?: unknown }).error : undefined;
    const providerMessage =
      typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string"
        ? (error as { message: string }).message
        : typeof error === "string"
          ? error
          : text.trim().slice(0, 500) || `HTTP ${response.status}`;
    return new APICallError({
      message: providerMessage,
      url: this.url.href,
      requestBodyValues: requestBody.toString(),
      statusCode: response.status,
      responseHeaders: response.headers as Record<string, string>,
      responseBody: text,
      data,
    });
  }
}

function parseJson(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UnreadableResponseError(text.trim() === "" ? "an empty body" : `not JSON: ${text.slice(0, 200)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new UnreadableResponseError(`not a JSON object: ${text.slice(0, 200)}`);
  return value as Record<string, unknown>;
}
