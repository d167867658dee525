import { z } from "zod";
import type { ToolDefinition } from "../models/model-client.js";
import type { ToolRegistry } from "../tools/registry.js";
import type { AnyTool } from "../tools/tool.js";

// Made once per parameters schema: the loop asks before every turn (tool lists can change), and
// each run makes its own tool objects around the same module-level schemas.
const inputSchemas = new WeakMap<AnyTool["parameters"], Record<string, unknown>>();

/**
 * The definitions last made, and the tools they were made from. A server's runs share their tool
 * objects (see library/run-tools.ts), so consecutive turns of different runs usually ask for the
 * same list: they get the same array, which the caches keyed by it (the request's bytes, the
 * token estimate) then find whole.
 */
let last: { tools: AnyTool[]; definitions: ToolDefinition[] } | undefined;

/** The tools as the model sees them: JSON Schemas made from their zod parameter schemas. */
export function toolDefinitions(registry: ToolRegistry): ToolDefinition[] {
  const tools = registry.list();
  if (last && last.tools.length === tools.length && last.tools.every((tool, index) => tool === tools[index])) return last.definitions;
  const definitions = tools.map((tool) => {
    let inputSchema = inputSchemas.get(tool.parameters);
    if (!inputSchema) {
      const { $schema: _schema, ...schema } = z.toJSONSchema(tool.parameters, { io: "input" }) as Record<string, unknown>;
      inputSchema = schema;
      inputSchemas.set(tool.parameters, inputSchema);
    }
    return { name: tool.name, description: tool.description, inputSchema };
  });
  last = { tools, definitions };
  return definitions;
}
