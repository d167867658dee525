// The `mcpServers` config section: which MCP servers a run connects to and how. A server is
// either a command Ponder starts and talks to over stdio, or a URL speaking Streamable HTTP.
import { z } from "zod";

/**
 * Server names become the prefix of tool names (`<server>__<tool>`), and the policy finds the
 * server as the text before the first `__`, so a name must not contain `__` or end in `_`.
 */
export const mcpServerNameSchema = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,32}$/, "An MCP server name must be 1-32 letters, digits, _ or -.")
  .refine((name) => !name.includes("__") && !name.endsWith("_"), 'An MCP server name must not contain "__" or end with "_".');

const timeouts = {
  /** Longest wait for one tool call; default: the run's per-call tool timeout. */
  timeoutMs: z.number().int().positive().optional(),
  /** Longest wait for the server to start and list its tools (default 60 s; `npx` may download first). */
  startupTimeoutMs: z.number().int().positive().optional(),
};

export const mcpStdioServerSettingsSchema = z
  .object({
    command: z.string().min(1),
    args: z.array(z.string()).optional(),
    /** Added to a minimal inherited environment (HOME, PATH, SHELL, TERM, USER, LOGNAME). */
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().min(1).optional(),
    ...timeouts,
  })
  .strict();

export const mcpHttpServerSettingsSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, error: "An MCP server url must be an http:// or https:// URL." }),
    /** Sent with every request, e.g. `{ "Authorization": "Bearer ..." }`. */
    headers: z.record(z.string(), z.string()).optional(),
    ...timeouts,
  })
  .strict();

export const mcpServerSettingsSchema = z.union([mcpStdioServerSettingsSchema, mcpHttpServerSettingsSchema]);

/** The config file's `mcpServers` field. */
export const mcpServersSettingsSchema = z.record(mcpServerNameSchema, mcpServerSettingsSchema);

export type McpStdioServerSettings = z.infer<typeof mcpStdioServerSettingsSchema>;
export type McpHttpServerSettings = z.infer<typeof mcpHttpServerSettingsSchema>;
export type McpServerSettings = z.infer<typeof mcpServerSettingsSchema>;
export type McpServersSettings = z.infer<typeof mcpServersSettingsSchema>;

export function isHttpServer(settings: McpServerSettings): settings is McpHttpServerSettings {
  return "url" in settings;
}

export const defaultStartupTimeoutMs = 60_000;
