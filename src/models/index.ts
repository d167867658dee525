export * from "./model-client.js";
export { AiSdkModelClient, type AiSdkModelClientOptions } from "./ai-sdk-model-client.js";
export { ChatCompletionsModelClient, type ChatCompletionsModelClientOptions } from "./chat-completions/chat-completions-model-client.js";
export { inferCapabilities, isAnthropicThinkingModel, isOpenAIReasoningModel, type ProviderApi } from "./model-capabilities.js";
export { retryAfterMsFromHeaders, toModelCallError, type ErrorContext } from "./model-call-errors.js";
export { cachedInputShare, costOf, priceOf, priceTable, type Cost, type ModelPrice } from "./prices.js";
export { defaultBaseURLs, type ProviderConnection, type ProviderSettings } from "./provider-settings.js";
export { parseModelId, resolveModel } from "./resolve-model.js";
export {
  defaultRetryPolicy,
  isRetryableStatus,
  retryDelayMs,
  shouldRetry,
  streamWithRetry,
  type RetryNotice,
  type RetryOptions,
  type RetryPolicy,
} from "./retry.js";
export { ScriptedModel, type ScriptedModelOptions } from "./scripted-model.js";
export {
  loadScriptFile,
  parseScript,
  type Script,
  type ScriptFunction,
  type ScriptedToolCall,
  type ScriptedTurn,
} from "./scripted-script.js";
