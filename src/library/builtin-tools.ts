import { ToolRegistry } from "../tools/registry.js";
import { imageTools } from "../tools/image/index.js";
import { pythonTool } from "../tools/python/index.js";

/** Every tool Ponder ships; a run uses all of them unless told otherwise. */
export function builtinTools(): ToolRegistry {
  return new ToolRegistry([pythonTool, ...imageTools]);
}
