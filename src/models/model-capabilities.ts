// What a model can do, guessed from its name. The guesses cover the current OpenAI and
// Anthropic lines and the common open-weight families; settings override them per model id
// (e.g. a fine-tune whose name says nothing).

import type { ModelCapabilities } from "./model-client.js";

/** The wire API a client speaks; it decides effort mapping, reasoning fields and tool-result images. */
export type ProviderApi = "openai-responses" | "openai-chat" | "anthropic-messages" | "openai-compatible";

/**
 * OpenAI models with native reasoning: o-series, gpt-5 family, codex. The gpt-5 chat variants
 * are not reasoning models, and sending them reasoning settings is an error.
 */
export function isOpenAIReasoningModel(modelName: string): boolean {
  if (/^gpt-5[^-]*-chat/.test(modelName)) return false;
  return /^o\d+(-|$)/.test(modelName) || /^gpt-5/.test(modelName) || /codex/.test(modelName);
}

/** Anthropic models that take an extended-thinking budget. */
export function isAnthropicThinkingModel(modelName: string): boolean {
  return /^claude-(3-7-sonnet|(sonnet|opus|haiku)-([4-9]|\d{2,}))/.test(modelName);
}

function isOpenAIVisionModel(modelName: string): boolean {
  return /^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-4-turbo|gpt-5|o1(?!-mini|-preview)|o3(?!-mini)|o4)/.test(modelName);
}

function isAnthropicVisionModel(modelName: string): boolean {
  // Every Claude 3 and later model reads images.
  return /^claude-(3|sonnet|opus|haiku)/.test(modelName);
}

// Open-weight families as Ollama, vLLM and llama.cpp name them (`qwen2.5vl:7b`, `Qwen/Qwen3-8B`).
const openVisionNames =
  /(vision|[-_.]vl\b|vl:|llava|moondream|minicpm-v|gemma3|qwen2\.5-?vl|qwen3-vl|pixtral|mistral-small3\.[12]|llama4|granite3\.2-vision)/i;
const openReasoningNames = /(qwen3|qwq|deepseek-r1|-r1\b|gpt-oss|magistral|phi4-reasoning|reasoner|thinking|exaone-deep|cogito)/i;

export function inferCapabilities(api: ProviderApi, modelName: string): ModelCapabilities {
  switch (api) {
    case "openai-responses":
    case "openai-chat":
      return { vision: isOpenAIVisionModel(modelName), reasoning: isOpenAIReasoningModel(modelName) };
    case "anthropic-messages":
      return { vision: isAnthropicVisionModel(modelName), reasoning: isAnthropicThinkingModel(modelName) };
    case "openai-compatible":
      return { vision: openVisionNames.test(modelName), reasoning: openReasoningNames.test(modelName) };
  }
}
