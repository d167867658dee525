// Which GGUF file a `local:` model id names: a path on disk, or a Hugging Face file (`hf:<repo>:<quant>`,
// or `default`) that is downloaded once into the model cache — only when that model is asked for by
// name, never as a fallback. Without a network the download fails, and the message says how to go
// on instead; nothing is ever faked.

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { ModelNotConfiguredError, errorMessage } from "../../core/errors.js";
import { importLlama } from "./llama-module.js";
import { modelCacheDirectory } from "./model-cache.js";

/** A small model that calls tools well, used by `local:default`. */
export const defaultLocalModel = "hf:Qwen/Qwen3-1.7B-GGUF:Q8_0";
/** What a person is told before it is downloaded: its name and size. */
export const defaultLocalModelDescription = "Qwen3 1.7B (Q8_0 GGUF, about 1.8 GB)";

const howToContinue =
  "Download the GGUF file on a machine with internet access and pass --model local:/path/to/model.gguf, " +
  "or configure an API provider (OPENAI_API_KEY, ANTHROPIC_API_KEY, or an OpenAI-compatible base URL; see `ponder doctor`).";

export type LocalModelSource = { kind: "file"; path: string } | { kind: "download"; uri: string };

/** `local:<name>` → where the model comes from. */
export function localModelSource(modelName: string): LocalModelSource {
  if (modelName === "default") return { kind: "download", uri: defaultLocalModel };
  if (modelName.startsWith("hf:")) return { kind: "download", uri: modelName };
  return { kind: "file", path: resolve(modelName) };
}

/** The GGUF path to load, downloading it into `<home>/models` first where the id names a download. */
export async function resolveLocalModelFile(modelName: string, home: string, signal?: AbortSignal): Promise<string> {
  const source = localModelSource(modelName);
  if (source.kind === "file") {
    if (!existsSync(source.path)) {
      throw new ModelNotConfiguredError(
        `The local model file ${source.path} does not exist.`,
        `Check the path in local:<path.gguf>. ${howToContinue}`,
      );
    }
    return source.path;
  }
  const { resolveModelFile } = await importLlama();
  try {
    return await resolveModelFile(source.uri, {
      directory: modelCacheDirectory(home),
      // node-llama-cpp's own progress bar, where someone watches a terminal.
      cli: process.stderr.isTTY === true,
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ModelNotConfiguredError(
      `The local model ${source.uri} is not in ${modelCacheDirectory(home)} and could not be downloaded (no network?): ${errorMessage(error)}`,
      howToContinue,
    );
  }
}

/** The cached file of a downloadable local model, or undefined: never a download, never a network call. */
export async function cachedLocalModelFile(modelName: string, home: string): Promise<string | undefined> {
  const source = localModelSource(modelName);
  if (source.kind === "file") return existsSync(source.path) ? source.path : undefined;
  try {
    const { resolveModelFile } = await importLlama();
    return await resolveModelFile(source.uri, { directory: modelCacheDirectory(home), download: false, cli: false });
  } catch {
    return undefined;
  }
}
