// The request settings an API client of Ponder's server may send (sampling, tool choice,
// parallel tool calls, a JSON answer format), as each provider takes them. What a provider
// cannot take is said here, so a run that needs it is refused up front instead of having the
// setting dropped on the way (the AI SDK drops temperature for reasoning models with a warning).

import type { JSONSchema7, LanguageModelV3CallOptions, SharedV3ProviderOptions } from "@ai-sdk/provider";
import type { ProviderApi } from "./model-capabilities.js";
import type { ModelCapabilities, ModelRequest, RequestSettingsSupport } from "./model-client.js";

/**
 * What a client over `api` passes on. OpenAI's reasoning models take no temperature or top_p,
 * and Anthropic's thinking refuses them; OpenAI-compatible servers take them all but have no
 * common setting for one tool call at a time (the AI SDK's compatible provider sends none).
 */
export function requestSettingsSupport(
  api: ProviderApi,
  capabilities: ModelCapabilities,
  client: "ai-sdk" | "chat-completions",
): RequestSettingsSupport {
  const sampling = api === "openai-compatible" || !capabilities.reasoning;
  return {
    temperature: sampling,
    topP: sampling,
    parallelToolCalls: client === "chat-completions" || api !== "openai-compatible",
    forcedToolChoice: true,
    structuredOutput: api === "openai-responses" || api === "openai-chat",
  };
}

/** The AI SDK call options for the request's settings (the provider options part is merged by the caller). */
export function aiSdkRequestSettings(
  api: ProviderApi,
  request: ModelRequest,
): Pick<LanguageModelV3CallOptions, "temperature" | "topP" | "responseFormat"> & { providerOptions?: SharedV3ProviderOptions } {
  const format = request.responseFormat;
  const parallel = request.parallelToolCalls === false;
  const openai = { ...(parallel && { parallelToolCalls: false }), ...(format?.strict === false && { strictJsonSchema: false }) };
  const providerOptions: SharedV3ProviderOptions | undefined =
    (api === "openai-responses" || api === "openai-chat") && Object.keys(openai).length > 0
      ? { openai }
      : api === "anthropic-messages" && parallel
        ? { anthropic: { disableParallelToolUse: true } }
        : undefined;
  return {
    ...(request.temperature !== undefined && { temperature: request.temperature }),
    ...(request.topP !== undefined && { topP: request.topP }),
    ...(format !== undefined && {
      responseFormat: {
        type: "json",
        ...(format.schema !== undefined && { schema: format.schema as JSONSchema7 }),
        ...(format.name !== undefined && { name: format.name }),
        ...(format.description !== undefined && { description: format.description }),
      },
    }),
    ...(providerOptions && { providerOptions }),
  };
}

/** Provider options merged one provider key deep: the request's settings next to the effort's. */
export function mergeProviderOptions(
  base: SharedV3ProviderOptions | undefined,
  extra: SharedV3ProviderOptions | undefined,
): SharedV3ProviderOptions | undefined {
  if (!extra) return base;
  const merged: SharedV3ProviderOptions = { ...base };
  for (const [key, value] of Object.entries(extra)) merged[key] = { ...merged[key], ...value };
  return merged;
}

/** The request's settings as Chat Completions body fields. */
export function chatRequestSettings(request: ModelRequest): Record<string, unknown> {
  const format = request.responseFormat;
  return {
    ...(request.temperature !== undefined && { temperature: request.temperature }),
    ...(request.topP !== undefined && { top_p: request.topP }),
    ...(request.parallelToolCalls === false && request.tools.length > 0 && { parallel_tool_calls: false }),
    ...(format !== undefined && {
      response_format:
        format.schema === undefined
          ? { type: "json_object" }
          : {
              type: "json_schema",
              json_schema: {
                name: format.name ?? "answer",
                schema: format.schema,
                strict: format.strict ?? true,
                ...(format.description !== undefined && { description: format.description }),
              },
            },
    }),
  };
}

/** A tool choice as Chat Completions writes it. */
export function chatToolChoice(choice: ModelRequest["toolChoice"]): unknown {
  return typeof choice === "string" ? choice : { type: "function", function: { name: choice.toolName } };
}
