import type { ModelUsage } from "../../models/model-client.js";

export function zeroUsage(): ModelUsage {
  return { inputTokens: 0, outputTokens: 0, reasoningTokens: 0, cachedInputTokens: 0 };
}

export function addModelUsage(total: ModelUsage, delta: ModelUsage): ModelUsage {
  return {
    inputTokens: total.inputTokens + delta.inputTokens,
    outputTokens: total.outputTokens + delta.outputTokens,
    reasoningTokens: total.reasoningTokens + delta.reasoningTokens,
    cachedInputTokens: total.cachedInputTokens + delta.cachedInputTokens,
  };
}
