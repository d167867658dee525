// The MCP servers of one run: started together when the run starts, closed together when it
// ends. The run asks `tools()` before each model turn, because a server may change its list.
import { z } from "zod";
import { CancelledError, ConfigError } from "../../core/errors.js";
import type { RunResource } from "../run-resources.js";
import { McpServerConnection, type McpServerStatus } from "./mcp-server-connection.js";
import { mcpServersSettingsSchema, type McpServersSettings } from "./mcp-server-settings.js";
import type { McpTool } from "./mcp-tool.js";

export type McpServers = RunResource & {
  /** Every tool the servers offer now, as `<server>__<tool>`. */
  tools(): McpTool[];
  /** Each server's state; a server that could not start is here with its error and no tools. */
  servers(): McpServerStatus[];
  /** Stops every server process and ends every HTTP session. */
  close(): Promise<void>;
};

export type ConnectMcpServersOptions = {
  /** Aborting it stops the servers that are starting; the call then throws CancelledError. */
  signal?: AbortSignal;
  /** Called whenever a server's tool list changes (after a start, a restart or a notification). */
  onToolsChanged?: () => void;
};

/**
 * Starts every configured server at once and lists its tools. A server that cannot start does
 * not stop the others: it is reported by `servers()` (state `failed`, with the reason) and
 * offers no tools. Invalid settings throw ConfigError.
 */
export async function connectMcpServers(settings: McpServersSettings, options: ConnectMcpServersOptions = {}): Promise<McpServers> {
  const parsed = mcpServersSettingsSchema.safeParse(settings);
  if (!parsed.success)
    throw new ConfigError(
      `Invalid mcpServers settings:\n${z.prettifyError(parsed.error)}`,
      "See docs/tools/mcp.md for the shape of each server.",
    );
  const connections = Object.entries(parsed.data).map(
    ([name, server]) => new McpServerConnection(name, server, () => options.onToolsChanged?.()),
  );
  const servers: McpServers = {
    tools: () => connections.flatMap((connection) => connection.tools()),
    servers: () => connections.map((connection) => connection.status()),
    close: async () => {
      await Promise.all(connections.map((connection) => connection.close()));
    },
  };
  await Promise.allSettled(connections.map((connection) => connection.start(options.signal)));
  if (options.signal?.aborted) {
    await servers.close();
    throw new CancelledError("Connecting to the MCP servers was cancelled.");
  }
  return servers;
}
