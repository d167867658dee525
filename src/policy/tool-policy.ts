import { z } from "zod";
import type { ToolEffect } from "../tools/tool.js";

export const decisions = ["allow", "ask", "deny"] as const;
export type Decision = (typeof decisions)[number];

export const toolPolicySchema = z
  .object({
    /** Decision per effect class; see ToolEffect. */
    effects: z.partialRecord(z.enum(["none", "read", "write", "external"]), z.enum(decisions)).optional(),
    /** Decision per tool name (MCP tools as `server__tool`, or `server__*` for a whole server). Wins over effects. */
    tools: z.record(z.string(), z.enum(decisions)).optional(),
  })
  .strict();

export type ToolPolicy = z.infer<typeof toolPolicySchema>;

/**
 * Defaults: tools that only compute or read, and tools confined to the run's workspace or
 * sandbox, run without asking; anything that reaches outside the machine asks first.
 */
export const defaultEffectDecisions: Record<ToolEffect, Decision> = {
  none: "allow",
  read: "allow",
  write: "allow",
  external: "ask",
};

/**
 * Built-in tools that reach outside but only read (search, fetch a page) run without asking by
 * default: asking before every page would make research unusable, and what they bring back is
 * treated as data. So are the browser's looking tools; clicking and typing can submit forms,
 * so they stay with their effect's default (ask).
 */
export const defaultToolDecisions: Readonly<Record<string, Decision>> = {
  web_search: "allow",
  read_page: "allow",
  find_in_page: "allow",
  browser_open: "allow",
  browser_scroll: "allow",
  browser_screenshot: "allow",
};

/**
 * The decision for one tool: a rule for its name, then for its MCP server (`server__*`; an MCP
 * tool with neither asks), then a rule for its effect class, then Ponder's per-tool defaults,
 * then the effect class's default.
 */
export function decide(policy: ToolPolicy, toolName: string, effects: ToolEffect): Decision {
  const byName = policy.tools?.[toolName];
  if (byName) return byName;
  const server = toolName.includes("__") ? toolName.slice(0, toolName.indexOf("__")) : undefined;
  if (server !== undefined) return policy.tools?.[`${server}__*`] ?? "ask";
  return policy.effects?.[effects] ?? defaultToolDecisions[toolName] ?? defaultEffectDecisions[effects];
}
