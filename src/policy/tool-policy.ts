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

export function decide(policy: ToolPolicy, toolName: string, effects: ToolEffect): Decision {
  const byName = policy.tools?.[toolName];
  if (byName) return byName;
  const server = toolName.includes("__") ? toolName.slice(0, toolName.indexOf("__")) : undefined;
  const byServer = server === undefined ? undefined : policy.tools?.[`${server}__*`];
  if (byServer) return byServer;
  return policy.effects?.[effects] ?? defaultEffectDecisions[effects];
}
