import { AiSdkModelClient } from "../models/ai-sdk-model-client.js";
import { ChatCompletionsModelClient } from "../models/chat-completions/chat-completions-model-client.js";
import type { ModelClient } from "../models/model-client.js";
import { resolveModel, type ProviderSettings } from "../models/resolve-model.js";
import { detectDefaultModel } from "./detect-model.js";
import type { ResolvedSettings } from "./resolve-settings.js";

// Remote providers' clients hold nothing of a run's own (a scripted or local model does), so runs
// with the same provider settings share one: a server reuses its settings for a second, and a
// client works out its URL and headers when it is made.
const sharedClients = new WeakMap<ProviderSettings, Map<string, ModelClient>>();
/** Requests name models freely: past this many for one settings object, its clients start over rather than grow. */
const maxClients = 64;

/** The model to use: a ModelClient as given, else the id named (or detected), resolved with the settings' providers. */
export async function modelFromSettings(model: string | ModelClient | undefined, settings: ResolvedSettings): Promise<ModelClient> {
  if (model && typeof model !== "string") return model;
  const id = model ?? settings.model ?? (await detectDefaultModel(settings, { useLocalDefault: true }));
  const clients = sharedClients.get(settings.providers) ?? new Map<string, ModelClient>();
  const known = clients.get(id);
  if (known) return known;
  const client = resolveModel(id, settings.providers);
  if (client instanceof ChatCompletionsModelClient || client instanceof AiSdkModelClient) {
    if (clients.size >= maxClients) clients.clear();
    sharedClients.set(settings.providers, clients.set(id, client));
  }
  return client;
}
