// Turns a model id (`provider:model`) and the provider settings into a ModelClient.

import { ConfigError, ModelNotConfiguredError } from "../core/errors.js";
import { AiSdkModelClient } from "./ai-sdk-model-client.js";
import { lazyProviderModel } from "./lazy-provider-model.js";
import { ChatCompletionsModelClient } from "./chat-completions/chat-completions-model-client.js";
import { modelCallTimeouts } from "./model-call-timeouts.js";
import type { ModelClient } from "./model-client.js";
import { type ProviderConnection, type ProviderSettings, defaultBaseURLs } from "./provider-settings.js";
import { ScriptedModel } from "./scripted-model.js";
import { timedFetch } from "./timed-fetch.js";
import { LocalModelClient } from "./local/local-model-client.js";
import { defaultPonderHome, localSamplingSettings, localThreadsSetting } from "./local/model-cache.js";

export type { ProviderConnection, ProviderSettings } from "./provider-settings.js";

const builtInProviders = ["openai", "anthropic", "ollama", "compat", "scripted"] as const;

const howToConfigure =
  "Choose a model with --model provider:model (e.g. --model openai:gpt-5-mini, anthropic:claude-sonnet-4-5, " +
  "ollama:qwen3:8b) or the PONDER_MODEL environment variable; set the provider's key with OPENAI_API_KEY or " +
  "ANTHROPIC_API_KEY; or put both (and OpenAI-compatible providers with their baseURL) in ponder.config.json.";

/** Splits at the first colon: `ollama:qwen3:8b` → provider `ollama`, model `qwen3:8b`. */
export function parseModelId(modelId: string): { provider: string; modelName: string } {
  const colon = modelId.indexOf(":");
  const provider = colon === -1 ? "" : modelId.slice(0, colon).trim();
  const modelName = colon === -1 ? "" : modelId.slice(colon + 1).trim();
  if (provider === "" || modelName === "") {
    const guess = colon === -1 && modelId.trim() !== "" ? ` Did you mean openai:${modelId.trim()} or ollama:${modelId.trim()}?` : "";
    throw new ConfigError(`"${modelId}" is not a model id: write it as provider:model.${guess}`, howToConfigure);
  }
  return { provider, modelName };
}

export function resolveModel(modelId: string, settings: ProviderSettings = {}): ModelClient {
  const { provider, modelName } = parseModelId(modelId);
  const capabilities = settings.capabilities?.[modelId];
  switch (provider) {
    case "openai": {
      const apiKey = requireKey(provider, settings.openai, "OPENAI_API_KEY");
      const baseURL = settings.openai?.baseURL ?? defaultBaseURLs.openai;
      const useChat = settings.openai?.api === "chat";
      const calls = callSettings(settings, settings.openai);
      if (useChat && settings.openai?.client !== "ai-sdk") {
        return new ChatCompletionsModelClient({
          id: modelId,
          baseURL,
          apiKey,
          api: "openai-chat",
          capabilities,
          apiKeyVariable: "OPENAI_API_KEY",
          ...calls,
        });
      }
      const model = lazyProviderModel(useChat ? "openai.chat" : "openai.responses", modelName, async () => {
        const openai = (await import("@ai-sdk/openai")).createOpenAI({ apiKey, baseURL, fetch: timedFetch(calls.timeouts) });
        return useChat ? openai.chat(modelName) : openai.responses(modelName);
      });
      return new AiSdkModelClient({
        model,
        api: useChat ? "openai-chat" : "openai-responses",
        id: modelId,
        capabilities,
        baseURL,
        apiKeyVariable: "OPENAI_API_KEY",
        retryPolicy: calls.retryPolicy,
      });
    }
    case "anthropic": {
      const apiKey = requireKey(provider, settings.anthropic, "ANTHROPIC_API_KEY");
      const baseURL = settings.anthropic?.baseURL ?? defaultBaseURLs.anthropic;
      const calls = callSettings(settings, settings.anthropic);
      const fetch = timedFetch(calls.timeouts);
      return new AiSdkModelClient({
        model: lazyProviderModel("anthropic.messages", modelName, async () =>
          (await import("@ai-sdk/anthropic")).createAnthropic({ apiKey, baseURL, fetch }).messages(modelName),
        ),
        api: "anthropic-messages",
        id: modelId,
        capabilities,
        baseURL,
        apiKeyVariable: "ANTHROPIC_API_KEY",
        retryPolicy: calls.retryPolicy,
      });
    }
    case "ollama":
      return compatibleClient(
        modelId,
        provider,
        modelName,
        {
          ...settings.ollama,
          baseURL: settings.ollama?.baseURL ?? defaultBaseURLs.ollama,
        },
        settings,
      );
    case "scripted":
      return ScriptedModel.fromFile(modelName, { capabilities });
    case "local":
      // A GGUF file run in-process: `local:/path/model.gguf`, `local:hf:<repo>:<quant>` or `local:default`.
      return new LocalModelClient(modelName, {
        home: defaultPonderHome(),
        threads: localThreadsSetting(),
        ...localSamplingSettings(),
        capabilities,
      });
    default: {
      const connection = provider === "compat" ? settings.compat : settings.providers?.[provider];
      if (connection === undefined) {
        const custom = Object.keys(settings.providers ?? {});
        throw new ModelNotConfiguredError(
          provider === "compat"
            ? `The model ${modelId} needs an OpenAI-compatible base URL, and none is configured for compat.`
            : `Unknown model provider "${provider}" in ${modelId}. Known providers: ${[...builtInProviders, ...custom].join(", ")}.`,
          `${howToConfigure} An OpenAI-compatible server (vLLM, llama.cpp, LM Studio) goes under "compat" or ` +
            `"providers": { "${provider}": { "baseURL": "http://host:port/v1" } }.`,
        );
      }
      return compatibleClient(modelId, provider, modelName, connection, settings);
    }
  }
}

function compatibleClient(
  modelId: string,
  provider: string,
  modelName: string,
  connection: ProviderConnection,
  settings: ProviderSettings,
): ModelClient {
  if (!connection.baseURL) {
    throw new ModelNotConfiguredError(
      `The provider "${provider}" (for ${modelId}) has no baseURL.`,
      `Give it one in ponder.config.json, e.g. "${provider}": { "baseURL": "http://127.0.0.1:8000/v1" }. ${howToConfigure}`,
    );
  }
  const calls = callSettings(settings, connection);
  if (connection.client !== "ai-sdk") {
    return new ChatCompletionsModelClient({
      id: modelId,
      baseURL: connection.baseURL,
      apiKey: connection.apiKey,
      api: "openai-compatible",
      capabilities: settings.capabilities?.[modelId],
      ...calls,
    });
  }
  const { baseURL, apiKey } = connection;
  const fetch = timedFetch(calls.timeouts);
  const model = lazyProviderModel(`${provider}.chat`, modelName, async () =>
    (await import("@ai-sdk/openai-compatible"))
      // Ask for the usage chunk at the end of the stream; budgets need token counts.
      .createOpenAICompatible({ name: provider, baseURL, apiKey, includeUsage: true, fetch })
      .chatModel(modelName),
  );
  return new AiSdkModelClient({
    model,
    api: "openai-compatible",
    id: modelId,
    capabilities: settings.capabilities?.[modelId],
    baseURL: connection.baseURL,
    retryPolicy: calls.retryPolicy,
  });
}

/** A client's timeouts (the provider's own over everyone's, over the defaults) and retry policy. */
function callSettings(settings: ProviderSettings, connection: ProviderConnection | undefined) {
  const { retry, ...timeouts } = settings.calls ?? {};
  return { timeouts: modelCallTimeouts(connection?.timeouts, timeouts), retryPolicy: retry };
}

function requireKey(provider: string, connection: ProviderConnection | undefined, variable: string): string {
  if (connection?.apiKey) return connection.apiKey;
  throw new ModelNotConfiguredError(
    `No API key is configured for ${provider}: set ${variable} or add it to ponder.config.json.`,
    `Set ${variable} or add "${provider}": { "apiKey": "..." } to ponder.config.json. ${howToConfigure}`,
  );
}
