import { z } from "zod";
import type { ToolDefinition } from "../models/model-client.js";
import type { ToolRegistry } from "../tools/registry.js";
import type { AnyTool } from "../tools/tool.js";

// Made once per tool object: the loop asks before every turn, since tool lists can change.
const definitions = new WeakMap<AnyTool, ToolDefinition>();

/** The tools as the model sees them: JSON Schemas made from their zod parameter schemas. */
export function toolDefinitions(tools: ToolRegistry): ToolDefinition[] {
  return tools.list().map((tool) => {
    let definition = definitions.get(tool);
    if (!definition) {
      const { $schema: _schema, ...inputSchema } = z.toJSONSchema(tool.parameters, { io: "input" }) as Record<string, unknown>;
      definition = { name: tool.name, description: tool.description, inputSchema };
      definitions.set(tool, definition);
    }
    return definition;
  });
}
