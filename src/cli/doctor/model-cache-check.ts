import { listCachedModels, modelCacheDirectory } from "../../models/local/model-cache.js";
import type { DoctorResult } from "./doctor-check.js";

/** Informational: which GGUF files `local:` models can use without a download. */
export function modelCacheCheck(home: string): DoctorResult {
  const check = "Local model cache";
  const directory = modelCacheDirectory(home);
  const models = listCachedModels(home);
  if (models.length === 0) {
    return {
      check,
      ok: false,
      required: false,
      detail: `no GGUF files in ${directory}`,
      fix: `Only needed to run without an API: put a GGUF model in ${directory} (or anywhere) and use --model local:/path/to/model.gguf.`,
    };
  }
  const listed = models.map((model) => `${model.path} (${(model.bytes / 1_048_576).toFixed(1)} MB)`).join(", ");
  return { check, ok: true, required: false, detail: listed, fix: "" };
}
