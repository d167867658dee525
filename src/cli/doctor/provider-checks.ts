// Checks each configured model provider with the smallest real request: a one-word prompt and a
// tiny output limit, through the same ModelClient the loop uses, so a wrong key, a wrong base
// URL or an unknown model shows here exactly as it would in a run.

import { configureHint, defaultModels, detectDefaultModel } from "../../config/detect-model.js";
import type { ResolvedSettings } from "../../config/resolve-settings.js";
import { PonderError, errorMessage } from "../../core/errors.js";
import { parseModelId, resolveModel } from "../../models/resolve-model.js";
import type { DoctorResult } from "./doctor-check.js";

const pingTimeoutMs = 15_000;
/** OpenAI's Responses API refuses a limit under 16 output tokens; every provider accepts 16. */
const pingOutputTokens = 16;

/** One model id per configured provider: the configured model where it names that provider. */
export async function modelsToPing(settings: ResolvedSettings): Promise<string[]> {
  const { providers } = settings;
  const configured: { provider: string; baseURL?: string; defaultModel?: string }[] = [];
  if (providers.openai?.apiKey) configured.push({ provider: "openai", defaultModel: defaultModels.openai });
  if (providers.anthropic?.apiKey) configured.push({ provider: "anthropic", defaultModel: defaultModels.anthropic });
  if (providers.ollama?.baseURL) configured.push({ provider: "ollama", baseURL: providers.ollama.baseURL });
  if (providers.compat?.baseURL) configured.push({ provider: "compat", baseURL: providers.compat.baseURL });
  for (const [provider, connection] of Object.entries(providers.providers ?? {})) {
    configured.push({ provider, baseURL: connection.baseURL });
  }
  const named = settings.model === undefined ? undefined : parseModelId(settings.model);
  const models: string[] = [];
  for (const entry of configured) {
    if (named?.provider === entry.provider) models.push(settings.model as string);
    else if (entry.defaultModel) models.push(entry.defaultModel);
    else models.push(`${entry.provider}:${await firstServedModel(entry.baseURL, providers, entry.provider)}`);
  }
  // A configured model whose provider needs no key or URL (local:, scripted:) is checked too.
  if (settings.model !== undefined && !models.includes(settings.model) && !configured.some((entry) => entry.provider === named?.provider)) {
    models.push(settings.model);
  }
  return models;
}

export async function providerChecks(settings: ResolvedSettings): Promise<DoctorResult[]> {
  let models = await modelsToPing(settings);
  if (models.length === 0) {
    try {
      models = [await detectDefaultModel(settings)];
    } catch (error) {
      return [
        {
          check: "Model provider",
          ok: false,
          required: true,
          detail: errorMessage(error),
          fix: error instanceof PonderError && error.hint ? error.hint : configureHint,
        },
      ];
    }
  }
  return Promise.all(models.map((model) => pingModel(model, settings)));
}

export async function pingModel(modelId: string, settings: ResolvedSettings): Promise<DoctorResult> {
  const check = `Model ${modelId}`;
  const started = Date.now();
  try {
    const client = resolveModel(modelId, { ...settings.providers, capabilities: undefined });
    const parts = client.stream({
      items: [{ type: "message", id: "doctor", role: "user", content: [{ type: "input_text", text: "Say OK." }] }],
      tools: [],
      toolChoice: "none",
      maxOutputTokens: pingOutputTokens,
      stream: false,
      signal: AbortSignal.timeout(pingTimeoutMs),
    });
    for await (const part of parts) {
      if (part.type === "finish") {
        return { check, ok: true, required: true, detail: `answered in ${Date.now() - started} ms`, fix: "" };
      }
    }
    return { check, ok: false, required: true, detail: "the stream ended without a finished turn", fix: fixFor(modelId) };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    return {
      check,
      ok: false,
      required: true,
      detail: timedOut ? `no answer within ${pingTimeoutMs / 1000} s` : errorMessage(error),
      fix: error instanceof PonderError && error.hint ? error.hint : fixFor(modelId),
    };
  }
}

function fixFor(modelId: string): string {
  const { provider } = parseModelId(modelId);
  return `Check that ${provider}'s server is running and its key, base URL and model name are right (ponder.config.json or the environment), or remove the provider from the configuration.`;
}

/** An OpenAI-compatible server lists its models at GET /models; the first one is pinged. */
async function firstServedModel(baseURL: string | undefined, providers: ResolvedSettings["providers"], provider: string): Promise<string> {
  const apiKey = provider === "compat" ? providers.compat?.apiKey : providers.providers?.[provider]?.apiKey;
  try {
    const response = await fetch(`${(baseURL ?? "").replace(/\/+$/, "")}/models`, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.timeout(pingTimeoutMs),
    });
    const body = (await response.json()) as { data?: { id?: string }[] };
    return body.data?.[0]?.id ?? "default";
  } catch {
    // The ping that follows reports the unreachable server with the provider's own error.
    return "default";
  }
}
