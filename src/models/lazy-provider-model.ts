// An AI SDK provider package's model, imported at the model's first call. The three provider
// packages take ~170 ms to import, a good half of `ponder ask`'s start; runs on a Chat
// Completions provider (Ollama, vLLM, any `compat:` server), tests and most commands never need them.

import type { LanguageModelV3 } from "@ai-sdk/provider";

/** `provider` and `modelId` are what the loaded model will report, known before it is loaded. */
export function lazyProviderModel(provider: string, modelId: string, load: () => Promise<LanguageModelV3>): LanguageModelV3 {
  let loading: Promise<LanguageModelV3> | undefined;
  const loaded = () => (loading ??= load());
  return {
    specificationVersion: "v3",
    provider,
    modelId,
    get supportedUrls() {
      return loaded().then((model) => model.supportedUrls);
    },
    doGenerate: async (options) => (await loaded()).doGenerate(options),
    doStream: async (options) => (await loaded()).doStream(options),
  };
}
