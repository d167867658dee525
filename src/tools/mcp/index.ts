export { connectMcpServers } from "./mcp-servers.js";
export type { ConnectMcpServersOptions, McpServers } from "./mcp-servers.js";
export { McpServerConnection, maxRestarts } from "./mcp-server-connection.js";
export type { McpServerState, McpServerStatus } from "./mcp-server-connection.js";
export {
  isHttpServer,
  mcpHttpServerSettingsSchema,
  mcpServerNameSchema,
  mcpServerSettingsSchema,
  mcpServersSettingsSchema,
  mcpStdioServerSettingsSchema,
} from "./mcp-server-settings.js";
export type { McpHttpServerSettings, McpServerSettings, McpServersSettings, McpStdioServerSettings } from "./mcp-server-settings.js";
export { createMcpTool, effectsOf, isMcpTool } from "./mcp-tool.js";
export type { McpTool, McpToolOrigin } from "./mcp-tool.js";
export { mcpCallOutput } from "./mcp-call-result.js";
export { mcpToolParameters } from "./mcp-tool-parameters.js";
export { ponderToolNames } from "./mcp-tool-names.js";
