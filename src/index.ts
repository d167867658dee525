// The library entry point: `import { ask, startRun } from "ponder-harness"`.
export { ask, type AskResult } from "./library/ask.js";
export { startRun, resumeRun, type StartRunOptions, type RunEnvironmentOptions } from "./library/start-run.js";
export { keptKernels, type KernelStoppedEvent } from "./tools/python/kept-kernels.js";
export { RunHandle } from "./library/run-handle.js";
export { conversationIdOf, conversationTurns } from "./library/conversation-turns.js";
export * from "./core/index.js";
export type { ModelClient, ModelRequest, ModelStreamPart, ToolDefinition } from "./models/model-client.js";
export {
  defineTool,
  type AnyTool,
  type Tool,
  type ToolContext,
  type ToolOutput,
  type ToolEffect,
  type ToolSource,
  type SandboxSettings,
} from "./tools/tool.js";
export type { ToolPolicy, Decision } from "./policy/tool-policy.js";
export type { RunStore, StoredItem } from "./store/run-store.js";
export { SqliteRunStore } from "./store/sqlite-run-store.js";
export * as stopConditions from "./loop/stop-conditions.js";
export { wrapUntrusted } from "./tools/untrusted-content.js";
export { sourceIdOf } from "./tools/sources.js";
export { ToolRegistry } from "./tools/registry.js";
export {
  connectMcpServers,
  isMcpTool,
  mcpServersSettingsSchema,
  type McpServers,
  type McpServersSettings,
  type McpTool,
} from "./tools/mcp/index.js";
export { bestOf, type BestOfOptions, type BestOfResult, type Selection } from "./strategies/best-of.js";
export type { StrategyEvent, ChildRole, ChildOutcome } from "./strategies/strategy-events.js";
export { askAuto, type AskAutoOptions, type AskAutoResult } from "./strategies/router/ask-auto.js";
export type { RoutingDecision, ExplicitChoices, Sampling } from "./strategies/router/effort-decision.js";
export type { RequestClass } from "./strategies/router/request-class.js";
export { team, type TeamOptions, type TeamResult, type TeamRound, type TeamStop } from "./strategies/team/team.js";
export type { Candidate, AnswerCluster } from "./strategies/answer-clusters.js";
export type { Verifier, Verification } from "./strategies/verifier.js";
export { pythonTestsVerifier } from "./strategies/python-tests-verifier.js";
export { extractFinalAnswer, normaliseAnswer } from "./strategies/answer-extraction.js";
export { wilsonInterval, leaderConfidence } from "./strategies/confidence.js";
export { research, type ResearchOptions, type ResearchResult } from "./strategies/research/index.js";
