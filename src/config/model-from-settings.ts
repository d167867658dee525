import type { ModelClient } from "../models/model-client.js";
import { resolveModel } from "../models/resolve-model.js";
import { detectDefaultModel } from "./detect-model.js";
import type { ResolvedSettings } from "./resolve-settings.js";

/** The model to use: a ModelClient as given, else the id named (or detected), resolved with the settings' providers. */
export async function modelFromSettings(model: string | ModelClient | undefined, settings: ResolvedSettings): Promise<ModelClient> {
  if (model && typeof model !== "string") return model;
  const id = model ?? settings.model ?? (await detectDefaultModel(settings, { useLocalDefault: true }));
  return resolveModel(id, settings.providers);
}
