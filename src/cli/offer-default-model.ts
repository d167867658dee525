import { detectDefaultModel } from "../config/detect-model.js";
import { resolveSettings } from "../config/resolve-settings.js";
import { ModelNotConfiguredError } from "../core/errors.js";
import { defaultLocalModelDescription, resolveLocalModelFile } from "../models/local/local-model-source.js";
import { modelCacheDirectory } from "../models/local/model-cache.js";
import { askYesNo } from "./terminal-prompt.js";
import { importLlama } from "../models/local/llama-module.js";

/**
 * The model a command that is about to think should use when none is named. With no flag, no
 * PONDER_MODEL or config entry, no provider key and no Ollama, a terminal is offered the
 * embedded default (its name and size, y/N, then a progress bar); without a terminal, or on
 * "no", the error lists every way to configure a model (exit 2). Never a surprise download.
 * Returns the flag's model when one is given, else the detected or downloaded one.
 */
export async function modelOrOffer(options: { model?: string; home?: string; configPath?: string }): Promise<string | undefined> {
  const settings = resolveSettings({ home: options.home, configPath: options.configPath }, process.env, process.cwd());
  const named = options.model ?? settings.model;
  // A local model without node-llama-cpp stops here, with the install command, before any run exists.
  if (named?.startsWith("local:")) await importLlama();
  if (options.model) return options.model;
  if (settings.model) return undefined;
  try {
    return await detectDefaultModel(settings, { useLocalDefault: true });
  } catch (error) {
    const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
    if (!(error instanceof ModelNotConfiguredError) || !interactive || !(await llamaInstalled())) throw error;
    process.stderr.write(`${error.message}\n${error.hint ?? ""}\n\n`);
    const accepted = await askYesNo(
      `Download the default local model, ${defaultLocalModelDescription}, into ${modelCacheDirectory(settings.home)} and use it?`,
    );
    if (!accepted) throw new ModelNotConfiguredError("No model to use: the download was declined.", "Choose one of the ways above.");
    await resolveLocalModelFile("default", settings.home);
    return "local:default";
  }
}

/** Whether the local default could run here at all (node-llama-cpp is an optional peer). */
async function llamaInstalled(): Promise<boolean> {
  return importLlama().then(
    () => true,
    () => false,
  );
}
