// One tool an MCP server offers, as a Ponder Tool named `<server>__<tool>`.
import type { Tool as McpToolDefinition, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { AnyTool, Tool, ToolContext, ToolEffect, ToolOutput } from "../tool.js";
import { mcpToolParameters } from "./mcp-tool-parameters.js";

/** Longest description passed to the model; a server's essay on one tool costs every turn. */
const maxDescriptionCharacters = 4_000;

/** Where an MCP tool comes from: what the policy needs to treat each server on its own. */
export type McpToolOrigin = {
  server: string;
  /** The tool's real name on the server. */
  tool: string;
  /** The server's own hints; unverified, so a policy should not trust them blindly. */
  annotations?: ToolAnnotations;
};

export type McpTool = Tool<Record<string, unknown>> & { readonly mcp: McpToolOrigin };

export function isMcpTool(tool: AnyTool): tool is McpTool {
  return typeof (tool as Partial<McpTool>).mcp === "object";
}

/** Calls a tool on the server by its real name. */
export type McpToolCall = (tool: string, args: Record<string, unknown>, context: ToolContext) => Promise<ToolOutput>;

/**
 * The effect class from the server's annotations. The MCP defaults are "not read-only" and
 * "open world", so a tool says nothing is treated as reaching outside the machine.
 * - openWorldHint: true → external (whether it only reads or also changes things out there)
 * - readOnlyHint: true → read
 * - openWorldHint: false (and not read-only) → write: it changes the server's local state
 * - otherwise → external
 */
export function effectsOf(annotations: ToolAnnotations | undefined): ToolEffect {
  if (annotations?.openWorldHint === true) return "external";
  if (annotations?.readOnlyHint === true) return "read";
  if (annotations?.openWorldHint === false) return "write";
  return "external";
}

export function createMcpTool(options: {
  server: string;
  name: string;
  definition: McpToolDefinition;
  timeoutMs?: number;
  call: McpToolCall;
}): McpTool {
  const { server, name, definition, call } = options;
  const text = definition.description?.trim() || definition.title || definition.annotations?.title || `The "${definition.name}" tool.`;
  const description = `${text.length > maxDescriptionCharacters ? `${text.slice(0, maxDescriptionCharacters)}…` : text} (from the MCP server "${server}")`;
  return {
    name,
    description,
    parameters: mcpToolParameters(definition.inputSchema),
    effects: effectsOf(definition.annotations),
    ...(repeatable(definition.annotations) ? { idempotent: true } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    mcp: { server, tool: definition.name, ...(definition.annotations ? { annotations: definition.annotations } : {}) },
    run: (args, context) => call(definition.name, args, context),
  };
}

/**
 * Whether the server says running the tool again changes nothing: it only reads (`readOnlyHint`,
 * also out in the open world), or repeating it has no further effect (`idempotentHint`). Such a
 * call is retried after an infrastructure failure and re-run after a crash interrupted it.
 */
function repeatable(annotations: ToolAnnotations | undefined): boolean {
  return annotations?.readOnlyHint === true || annotations?.idempotentHint === true;
}
