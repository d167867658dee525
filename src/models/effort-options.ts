// Maps Ponder's effort level to each provider's own reasoning settings (AI SDK providerOptions).
// Reasoning settings go only to models that reason: OpenAI rejects reasoning options on gpt-4o,
// and Anthropic thinking needs a thinking-capable model.

import type { SharedV3ProviderOptions } from "@ai-sdk/provider";
import { effortThinkingTokens, type Effort } from "../core/effort.js";
import type { ProviderApi } from "./model-capabilities.js";
import type { ModelCapabilities } from "./model-client.js";

export type EffortContext = {
  api: ProviderApi;
  modelName: string;
  capabilities: ModelCapabilities;
  effort: Effort | undefined;
  /** The providerOptions key of an OpenAI-compatible provider: the name it was created with. */
  compatibleOptionsKey: string;
};

export function providerOptionsFor(context: EffortContext): SharedV3ProviderOptions | undefined {
  const { api, capabilities, effort } = context;
  switch (api) {
    case "openai-responses":
      return {
        openai: {
          // Ponder keeps the conversation itself, so nothing needs to live on OpenAI's side;
          // reasoning then travels as encrypted content (which the provider adds to `include`
          // for reasoning models), and works for zero-data-retention accounts too.
          store: false,
          ...(capabilities.reasoning && {
            // Makes the provider treat names it does not know (fine-tunes, overrides) as reasoning models.
            forceReasoning: true,
            reasoningSummary: "auto",
            ...(effort !== undefined && { reasoningEffort: openAIEffort(effort, context.modelName) }),
          }),
        },
      };
    case "openai-chat":
      if (!capabilities.reasoning || effort === undefined) return undefined;
      return { openai: { forceReasoning: true, reasoningEffort: openAIEffort(effort, context.modelName) } };
    case "anthropic-messages":
      if (!capabilities.reasoning || effort === undefined) return undefined;
      // The provider raises max_tokens by the budget itself, so the answer keeps its own room.
      return { anthropic: { thinking: { type: "enabled", budgetTokens: effortThinkingTokens[effort] } } };
    case "openai-compatible":
      if (!capabilities.reasoning || effort === undefined) return undefined;
      // Sent as `reasoning_effort` (Ollama, vLLM and others know low/medium/high only).
      return { [context.compatibleOptionsKey]: { reasoningEffort: effort === "minimal" ? "low" : effort } };
  }
}

/** "minimal" exists only for the original gpt-5 models; elsewhere the nearest is "low". */
function openAIEffort(effort: Effort, modelName: string): string {
  if (effort === "minimal" && !(/^gpt-5(-|$)/.test(modelName) && !/codex/.test(modelName))) return "low";
  return effort;
}
