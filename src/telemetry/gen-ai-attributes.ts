// Attribute and span names from the OpenTelemetry GenAI semantic conventions, plus Ponder's own
// (`ponder.*`). Kept in one place so the names match what Langfuse and Phoenix map on ingestion.

export const genAi = {
  operationName: "gen_ai.operation.name",
  providerName: "gen_ai.provider.name",
  requestModel: "gen_ai.request.model",
  agentName: "gen_ai.agent.name",
  inputTokens: "gen_ai.usage.input_tokens",
  outputTokens: "gen_ai.usage.output_tokens",
  toolName: "gen_ai.tool.name",
  toolType: "gen_ai.tool.type",
  toolCallId: "gen_ai.tool.call.id",
  evaluationName: "gen_ai.evaluation.name",
  evaluationScoreValue: "gen_ai.evaluation.score.value",
  evaluationScoreLabel: "gen_ai.evaluation.score.label",
  evaluationExplanation: "gen_ai.evaluation.explanation",
  errorType: "error.type",
} as const;

export const ponder = {
  runId: "ponder.run.id",
  parentRunId: "ponder.parent_run.id",
  runStatus: "ponder.run.status",
  runResumed: "ponder.run.resumed",
  step: "ponder.step",
  finalStep: "ponder.step.final",
  reasoningTokens: "ponder.usage.reasoning_tokens",
  costUsd: "ponder.usage.cost_usd",
} as const;

export const agentName = "ponder";

/** The span and event names the conventions fix. */
export const spanNames = {
  invokeAgent: "invoke_agent",
  chat: "chat",
  executeTool: (toolName: string) => `execute_tool ${toolName}`,
  evaluationEvent: "gen_ai.evaluation.result",
} as const;

// Ponder names providers by its model-id prefix; the conventions have their own well-known values
// for some of them, which backends use to pick icons and price tables.
const conventionProviderNames: Record<string, string> = {
  openai: "openai",
  anthropic: "anthropic",
  gemini: "gcp.gemini",
  google: "gcp.gemini",
  mistral: "mistral_ai",
  groq: "groq",
  deepseek: "deepseek",
  xai: "x_ai",
};

/** Splits `openai:gpt-4o` into the provider and model the conventions report separately. */
export function providerAndModel(modelId: string): { provider?: string; model: string } {
  const separator = modelId.indexOf(":");
  if (separator <= 0) return { model: modelId };
  const prefix = modelId.slice(0, separator);
  return { provider: conventionProviderNames[prefix] ?? prefix, model: modelId.slice(separator + 1) };
}
