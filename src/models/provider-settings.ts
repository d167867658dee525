// How to reach each provider, as plain data. The config layer (src/config/resolve-settings.ts)
// fills it from flags, the environment and ponder.config.json; resolveModel passes every value explicitly to the provider
// packages, so they never fall back to reading the environment on their own and an explicit
// setting always wins.

import type { ModelCallTimeouts } from "./model-call-timeouts.js";
import type { ModelCapabilities } from "./model-client.js";
import type { RetryPolicy } from "./retry.js";

export type ProviderConnection = {
  apiKey?: string;
  baseURL?: string;
  /**
   * Who speaks Chat Completions (OpenAI with `api: "chat"`, Ollama, compat and named providers):
   * Ponder's own client (default, the fastest) or the AI SDK provider package. The Responses API
   * and Anthropic always go through the AI SDK.
   */
  client?: "ponder" | "ai-sdk";
  /** This provider's timeouts, over `calls` (a local server on a slow machine may need a longer idle timeout). */
  timeouts?: Partial<ModelCallTimeouts>;
};

/** How every model call is made: its timeouts and retries; each value missing keeps its default. */
export type ModelCallSettings = Partial<ModelCallTimeouts> & { retry?: Partial<RetryPolicy> };

export type ProviderSettings = {
  /** `api: "chat"` selects Chat Completions instead of the Responses API. */
  openai?: ProviderConnection & { api?: "responses" | "chat" };
  anthropic?: ProviderConnection;
  /** Ollama's OpenAI-compatible endpoint; no key needed. */
  ollama?: ProviderConnection;
  /** Any OpenAI-compatible server (vLLM, llama.cpp server, LM Studio) for `compat:` ids. */
  compat?: ProviderConnection;
  /** Named OpenAI-compatible providers, used as `<name>:<model>` (e.g. `openrouter:qwen/qwen3-32b`). */
  providers?: Record<string, ProviderConnection>;
  /** Timeouts and retries of every model call (model-call-timeouts.ts and retry.ts state the defaults). */
  calls?: ModelCallSettings;
  /** Capability overrides by full model id, e.g. `{ "compat:my-finetune": { vision: true } }`. */
  capabilities?: Record<string, Partial<ModelCapabilities>>;
};

export const defaultBaseURLs = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com/v1",
  ollama: "http://127.0.0.1:11434/v1",
} as const;
