import { z } from "zod";
import { builtinTools } from "../../library/builtin-tools.js";
import { selectRunTools } from "../../library/run-tools.js";
import { sendJson } from "../http-response.js";
import { badRequest } from "../http-error.js";
import type { RequestContext, Route } from "../router.js";
import type { ServerState } from "../server-state.js";

const toolListSchema = z.strictObject({
  object: z.literal("list"),
  data: z.array(z.strictObject({ name: z.string(), description: z.string(), default: z.boolean() })),
});

/**
 * `GET /v1/tools`: the built-in tools a run of this server may be given (`tools` of `POST /v1/runs`),
 * each marked whether runs get it when they name no tools.
 */
async function listTools({ response, state }: RequestContext): Promise<void> {
  const defaults = new Set(selectRunTools(undefined, state.settings, true).names);
  const data = builtinTools(state.settings.toolSettings)
    .list()
    .map((tool) => ({ name: tool.name, description: tool.description, default: defaults.has(tool.name) }));
  sendJson(response, 200, { object: "list", data });
}

/** Refuses (400, naming `tools`) a tool name that is neither a built-in nor a configured MCP server's (`server__tool`, `server__*`). */
export function checkToolNames(state: ServerState, names: readonly string[]): void {
  const builtins = builtinTools(state.settings.toolSettings);
  const servers = Object.keys(state.settings.mcpServers);
  for (const name of names) {
    const server = name.includes("__") ? name.slice(0, name.indexOf("__")) : undefined;
    if (builtins.get(name) || (server !== undefined && servers.includes(server))) continue;
    throw badRequest(`Unknown tool "${name}". Built-in tools: ${builtins.names().join(", ")} (GET /v1/tools).`, "tools");
  }
}

export const toolRoutes: Route[] = [
  {
    method: "GET",
    path: "/v1/tools",
    handle: listTools,
    doc: { summary: "The built-in tools a run may be given", responses: { 200: { description: "The tools", json: toolListSchema } } },
  },
];
