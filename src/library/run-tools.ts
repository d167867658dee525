import type { ResolvedSettings } from "../config/resolve-settings.js";
import { ConfigError } from "../core/errors.js";
import type { McpServers } from "../tools/mcp/index.js";
import { ToolRegistry } from "../tools/registry.js";
import type { AnyTool } from "../tools/tool.js";
import { builtinTools } from "./builtin-tools.js";

export type RunTools = {
  registry: ToolRegistry;
  /** MCP servers the run uses; their tools join the registry when the run starts. */
  mcpServers: string[];
  /** What the run's spec records: tool names, and `<server>__*` for each MCP server. */
  names: string[];
};

const serverPattern = /^([a-zA-Z0-9_-]+)__\*$/;

/**
 * The run's tools: the ones named (built-in names, `<server>__*` for an MCP server, or Tool
 * objects), else every built-in (less the image tools when the model cannot see) and every
 * configured MCP server. `modelId` is the run's model, whose provider may host `web_search`.
 */
export function selectRunTools(
  requested: (string | AnyTool)[] | undefined,
  settings: ResolvedSettings,
  vision: boolean,
  modelId?: string,
): RunTools {
  if (requested !== undefined) return selectTools(requested, settings, vision, modelId);
  // The default choice is the same for every run with these settings (a server reuses them for a
  // second) and these built-ins (remade every few seconds): worked out once for them. Each run
  // still gets a registry of its own, to add its MCP servers' tools to.
  const builtins = builtinTools(settings.toolSettings, modelId);
  let known = defaultSelections.get(settings);
  if (known?.builtins !== builtins) {
    known = { builtins, byVision: new Map() };
    defaultSelections.set(settings, known);
  }
  let selection = known.byVision.get(vision);
  if (selection === undefined) {
    const { registry, mcpServers, names } = selectTools(undefined, settings, vision, modelId);
    selection = { tools: registry.list(), mcpServers, names };
    known.byVision.set(vision, selection);
  }
  return { registry: new ToolRegistry(selection.tools), mcpServers: [...selection.mcpServers], names: [...selection.names] };
}

type DefaultSelection = { tools: AnyTool[]; mcpServers: string[]; names: string[] };
const defaultSelections = new WeakMap<ResolvedSettings, { builtins: ToolRegistry; byVision: Map<boolean, DefaultSelection> }>();

function selectTools(requested: (string | AnyTool)[] | undefined, settings: ResolvedSettings, vision: boolean, modelId?: string): RunTools {
  // Built only when a built-in is wanted: a run of the caller's own tools skips making them all.
  let builtins: ToolRegistry | undefined;
  const builtin = () => (builtins ??= builtinTools(settings.toolSettings, modelId));
  const configuredServers = Object.keys(settings.mcpServers);
  const list = requested ??
    settings.tools ?? [
      ...builtin()
        .names()
        .filter((name) => vision || !name.startsWith("image_")),
      ...configuredServers.map((server) => `${server}__*`),
    ];
  const registry = new ToolRegistry();
  const mcpServers: string[] = [];
  for (const entry of list) {
    if (typeof entry !== "string") {
      registry.register(entry);
      continue;
    }
    const server = serverPattern.exec(entry)?.[1] ?? (entry.includes("__") ? entry.slice(0, entry.indexOf("__")) : undefined);
    if (server !== undefined) {
      if (!configuredServers.includes(server)) {
        throw new ConfigError(
          `Tool "${entry}" names the MCP server "${server}", which is not configured.`,
          `Configured servers: ${configuredServers.join(", ") || "none"}. Add it under "mcpServers" in ponder.config.json.`,
        );
      }
      if (!mcpServers.includes(server)) mcpServers.push(server);
      continue;
    }
    const tool = builtin().get(entry);
    if (!tool) throw new ConfigError(`Unknown tool "${entry}".`, `Built-in tools: ${builtin().names().join(", ")}.`);
    registry.register(tool);
  }
  return { registry, mcpServers, names: [...registry.names(), ...mcpServers.map((server) => `${server}__*`)] };
}

/**
 * Starts the run's MCP servers and adds their current tools to the registry. A server that
 * cannot start does not stop the run: it becomes a note saying why.
 */
export async function connectRunMcpServers(
  tools: RunTools,
  settings: ResolvedSettings,
  signal: AbortSignal,
): Promise<{ servers?: McpServers; notes: string[] }> {
  if (tools.mcpServers.length === 0) return { notes: [] };
  const chosen = Object.fromEntries(tools.mcpServers.map((server) => [server, settings.mcpServers[server]]));
  // The MCP SDK takes a quarter of a second to load: only runs that use a server pay for it.
  const { connectMcpServers } = await import("../tools/mcp/index.js");
  const servers = await connectMcpServers(chosen as typeof settings.mcpServers, { signal });
  tools.registry.addSource(() => servers.tools());
  const notes = servers
    .servers()
    .filter((status) => status.state === "failed")
    .map((status) => `The MCP server "${status.name}" did not start, so its tools are missing: ${status.error ?? "unknown error"}`);
  return { servers, notes };
}
