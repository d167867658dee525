import type { BuiltinToolSettings } from "../config/resolve-settings.js";
import { ToolRegistry } from "../tools/registry.js";
import { createFileTools } from "../tools/files/index.js";
import { createImageTools } from "../tools/image/index.js";
import { pythonTool } from "../tools/python/index.js";
import { createPageReadingTools } from "../tools/web/read/index.js";

/** Every tool Ponder ships; a run uses all of them unless told otherwise. */
export function builtinTools(settings: BuiltinToolSettings = {}): ToolRegistry {
  return new ToolRegistry([
    pythonTool,
    ...createPageReadingTools(settings.readPage),
    ...createFileTools(settings.readFile),
    ...createImageTools(settings.images),
  ]);
}
