// node-llama-cpp is an optional peer dependency: a default install stays small (its GPU builds
// alone are hundreds of megabytes), and a local model says how to add it when it is missing.

import type * as NodeLlamaCpp from "node-llama-cpp";
import { ModelNotConfiguredError } from "../../core/errors.js";

export type LlamaModule = typeof NodeLlamaCpp;

/** The version Ponder is tested with (newer ones refuse `npm ci` on these machines). */
export const llamaPackage = "node-llama-cpp@3.21.1";

export const llamaInstallHint =
  `Install it next to Ponder: \`npm install -g ${llamaPackage}\` (for a global Ponder) or ` +
  `\`npm install ${llamaPackage}\` (in the project that depends on Ponder).`;

let loading: Promise<LlamaModule> | undefined;

/** node-llama-cpp, imported once; a clear error naming the install command when it is not installed. */
export function importLlama(): Promise<LlamaModule> {
  loading ??= import("node-llama-cpp").catch((error: unknown) => {
    loading = undefined;
    if (isMissingPackage(error))
      throw new ModelNotConfiguredError("Local models need the node-llama-cpp package, which is not installed.", llamaInstallHint);
    throw error;
  });
  return loading;
}

function isMissingPackage(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code === "ERR_MODULE_NOT_FOUND" && (message ?? "").includes("'node-llama-cpp'");
}
