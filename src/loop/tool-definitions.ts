import { z } from "zod";
import type { ToolDefinition } from "../models/model-client.js";
import type { ToolRegistry } from "../tools/registry.js";
import type { AnyTool } from "../tools/tool.js";

// Made once per parameters schema: the loop asks before every turn (tool lists can change), and
// each run makes its own tool objects around the same module-level schemas.
const inputSchemas = new WeakMap<AnyTool["parameters"], Record<string, unknown>>();

/** The tools as the model sees them: JSON Schemas made from their zod parameter schemas. */
export function toolDefinitions(tools: ToolRegistry): ToolDefinition[] {
  return tools.list().map((tool) => {
    let inputSchema = inputSchemas.get(tool.parameters);
    if (!inputSchema) {
      const { $schema: _schema, ...schema } = z.toJSONSchema(tool.parameters, { io: "input" }) as Record<string, unknown>;
      inputSchema = schema;
      inputSchemas.set(tool.parameters, inputSchema);
    }
    return { name: tool.name, description: tool.description, inputSchema };
  });
}
