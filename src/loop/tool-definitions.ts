import { z } from "zod";
import type { ToolDefinition } from "../models/model-client.js";
import type { ToolRegistry } from "../tools/registry.js";

/** The tools as the model sees them: JSON Schemas made from their zod parameter schemas. */
export function toolDefinitions(tools: ToolRegistry): ToolDefinition[] {
  return tools.list().map((tool) => {
    const { $schema: _schema, ...inputSchema } = z.toJSONSchema(tool.parameters, { io: "input" }) as Record<string, unknown>;
    return { name: tool.name, description: tool.description, inputSchema };
  });
}
