import { ModelNotConfiguredError } from "../core/errors.js";
import { llamaPackage } from "../models/local/llama-module.js";
import { cachedLocalModelFile, defaultLocalModelDescription } from "../models/local/local-model-source.js";
import type { ResolvedSettings } from "./resolve-settings.js";

export const defaultModels = {
  openai: "openai:gpt-5-mini",
  anthropic: "anthropic:claude-sonnet-4-5",
};

export const configureHint = [
  "Configure a model in one of these ways:",
  "  OPENAI_API_KEY or ANTHROPIC_API_KEY         (a provider key: Ponder picks a default model)",
  "  --model openai:gpt-5-mini                   (a flag on any command; or PONDER_MODEL in the environment)",
  "  a local Ollama at 127.0.0.1:11434           (ollama serve; ollama pull qwen3:8b)",
  '  ponder.config.json: { "model": "compat:my-model", "providers": { "compat": { "baseURL": "http://127.0.0.1:8000/v1" } } }',
  "  --model local:/path/to/model.gguf           (a GGUF file on this machine; docs/local-models.md)",
  `  ponder ask --model local:default "..."      (downloads ${defaultLocalModelDescription} once; needs ${llamaPackage})`,
].join("\n");

/**
 * The model to use when none is named: a provider whose key is set, else the first model of a
 * local Ollama server, else — for callers about to run a model (`useLocalDefault`) — the local
 * default model if it was downloaded before. Never a download: fetching gigabytes is offered by
 * the terminal (cli/offer-default-model.ts) or asked for by name (`local:default`).
 */
export async function detectDefaultModel(settings: ResolvedSettings, options: { useLocalDefault?: boolean } = {}): Promise<string> {
  if (settings.providers.openai?.apiKey) return defaultModels.openai;
  if (settings.providers.anthropic?.apiKey) return defaultModels.anthropic;
  const ollama = (settings.providers.ollama?.baseURL ?? "http://127.0.0.1:11434/v1").replace(/\/v1\/?$/, "");
  try {
    const response = await fetch(`${ollama}/api/tags`, { signal: AbortSignal.timeout(1500) });
    if (response.ok) {
      const body = (await response.json()) as { models?: { name: string }[] };
      const first = body.models?.[0]?.name;
      if (first) return `ollama:${first}`;
    }
  } catch {
    // No Ollama here: fall through to the message.
  }
  if (options.useLocalDefault && (await cachedLocalModelFile("default", settings.home))) return "local:default";
  throw new ModelNotConfiguredError("No model is configured: no provider key is set and no local Ollama answered.", configureHint);
}
