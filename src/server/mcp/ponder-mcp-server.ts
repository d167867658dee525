// Ponder as an MCP server: the tools other agents and MCP clients call to hand Ponder a hard
// question (ask), a research question (research), or a question worth many tries (best_of_n),
// and to follow and stop the runs they started (run_status, run_cancel).
import { readFileSync } from "node:fs";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { registerAskTool } from "./ask-tool.js";
import { registerBestOfNTool } from "./best-of-n-tool.js";
import type { McpSession } from "./mcp-context.js";
import { registerResearchTool } from "./research-tool.js";
import { registerRunTools } from "./run-tools.js";

const instructions = `Ponder runs a model with the habits of a reasoning model: it thinks, uses tools (Python in a sandbox, web search and pages, files) over many steps, and answers.
- ask: a hard question or task that needs computation, checking or several steps.
- best_of_n: a question where one try may be wrong; several independent runs, the answer chosen by vote, judge or synthesis.
- research: a cited report; takes minutes, so it runs in the background: poll run_status with the run id it returns.
Every call is a run in Ponder's store; run_status and run_cancel take its id. A question must carry everything needed: Ponder does not see this conversation.`;

const version = (JSON.parse(readFileSync(new URL("../../../../package.json", import.meta.url), "utf8")) as { version: string }).version;

/** One MCP server per client connection; the session's runs and store are shared by all of them. */
export function createPonderMcpServer(session: McpSession): McpServer {
  const server = new McpServer({ name: "ponder", title: "Ponder", version }, { instructions });
  registerAskTool(server, session);
  registerResearchTool(server, session);
  registerBestOfNTool(server, session);
  registerRunTools(server, session);
  return server;
}
