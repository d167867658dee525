import { modelFromSettings } from "../config/model-from-settings.js";
import { resolveSettings, type Environment } from "../config/resolve-settings.js";
import { AiSdkModelClient } from "../models/ai-sdk-model-client.js";
import { ChatCompletionsModelClient } from "../models/chat-completions/chat-completions-model-client.js";
import type { ModelClient } from "../models/model-client.js";
import { RateLimitGate, SharedModelClient } from "../strategies/shared-model-client.js";
import type { EvalConfig } from "./eval-config.js";

/**
 * The models an eval's samples call. Every sample may run at once, so a remote provider's calls
 * go through one rate-limit gate per provider: a 429 pauses them all and cuts how many may be in
 * flight (shared-model-client.ts). A scripted or local model keeps a run's own state, and a model
 * that cannot be resolved fails in its samples as before: those stay ids, resolved per run.
 */
export function evalModels(direct: { home?: string; configPath?: string }, env: Environment, cwd: string) {
  const gates = new Map<string, RateLimitGate>();
  const models = new Map<string, Promise<string | ModelClient>>();
  const resolve = async (id: string): Promise<string | ModelClient> => {
    try {
      const inner = await modelFromSettings(id, resolveSettings({ ...direct, model: id }, env, cwd));
      if (!(inner instanceof ChatCompletionsModelClient || inner instanceof AiSdkModelClient)) return id;
      const gate = gates.get(inner.provider) ?? new RateLimitGate();
      gates.set(inner.provider, gate);
      // No total budget here, so no turn is ever priced.
      return new SharedModelClient(inner, { gate, costOf: () => 0 });
    } catch {
      return id;
    }
  };
  return (config: EvalConfig): Promise<string | ModelClient> => {
    const known = models.get(config.model) ?? resolve(config.model);
    models.set(config.model, known);
    return known;
  };
}
