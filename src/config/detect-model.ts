import { ModelNotConfiguredError } from "../core/errors.js";
import { resolveLocalModelFile } from "../models/local/local-model-source.js";
import type { ResolvedSettings } from "./resolve-settings.js";

export const defaultModels = {
  openai: "openai:gpt-5-mini",
  anthropic: "anthropic:claude-sonnet-4-5",
};

export const configureHint = [
  "Configure a model in one of these ways:",
  "  --model openai:gpt-5-mini        (a flag on any command)",
  "  PONDER_MODEL=anthropic:claude-sonnet-4-5   (environment)",
  "  OPENAI_API_KEY or ANTHROPIC_API_KEY         (a provider key: Ponder picks a default model)",
  '  ponder.config.json: { "model": "compat:my-model", "providers": { "compat": { "baseURL": "http://127.0.0.1:8000/v1" } } }',
  "  a local Ollama at 127.0.0.1:11434 (ollama serve; ollama pull qwen3:8b)",
  "  --model local:/path/to/model.gguf   (a GGUF file on this machine; docs/local-models.md)",
].join("\n");

/**
 * The model to use when none is named: a provider whose key is set, else the first model of a
 * local Ollama server, else the local default model (`local:default`), fetched into the model
 * cache on first use — only for callers about to run a model (`useLocalDefault`), so a health
 * check or a server start never downloads gigabytes. When it cannot be fetched (offline), the
 * local model's own message says why, followed by every way to configure a model.
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
  if (!options.useLocalDefault) {
    throw new ModelNotConfiguredError("No model is configured, no provider key is set, and no local Ollama answered.", configureHint);
  }
  try {
    await resolveLocalModelFile("default", settings.home);
    return "local:default";
  } catch (error) {
    if (error instanceof ModelNotConfiguredError) {
      throw new ModelNotConfiguredError(
        `No model is configured, no provider key is set, no local Ollama answered, and the local default model is not available: ${error.message}`,
        error.hint ? `${error.hint}\n\n${configureHint}` : configureHint,
      );
    }
    // node-llama-cpp cannot load on this machine: it has nothing clear to say, so only the ways to configure a model are listed.
  }
  throw new ModelNotConfiguredError("No model is configured, no provider key is set, and no local Ollama answered.", configureHint);
}
