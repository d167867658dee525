// `ponder mcp` over stdio: the client starts the process and speaks MCP on its stdin and
// stdout, so stdout carries nothing but protocol messages.
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { sessionOf, type McpProcess } from "./mcp-context.js";
import { createPonderMcpServer } from "./ponder-mcp-server.js";

export type McpStdioServer = {
  /** Settles when the client closes the connection (stdin ends). */
  disconnected: Promise<void>;
  close(): Promise<void>;
};

export async function startMcpStdio(shared: McpProcess): Promise<McpStdioServer> {
  const server = createPonderMcpServer(sessionOf(shared));
  const transport = new StdioServerTransport();
  // The SDK's transport does not watch for the end of stdin, which is how a client says goodbye.
  const disconnected = new Promise<void>((resolve) => {
    process.stdin.once("end", resolve);
    process.stdin.once("close", resolve);
  });
  await server.connect(transport);
  return { disconnected, close: () => server.close() };
}
