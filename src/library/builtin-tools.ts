import { existsSync } from "node:fs";
import { join } from "node:path";
import type { BuiltinToolSettings } from "../config/resolve-settings.js";
import { ToolRegistry } from "../tools/registry.js";
import { createFileTools } from "../tools/files/index.js";
import { createImageTools } from "../tools/image/index.js";
import { pythonTool } from "../tools/python/index.js";
import { createPageReadingTools } from "../tools/web/read/index.js";
import { createWebSearchTool, searchSettingsFrom } from "../tools/web/search/index.js";

/**
 * Every tool Ponder ships; a run uses all of them unless told otherwise. `web_search` is offered
 * when it can answer: a remote backend is configured, or the local index has documents
 * (`ponder index add <folder>`).
 */
export function builtinTools(settings: BuiltinToolSettings): ToolRegistry {
  const search = searchSettingsFrom(settings.search, settings.env, settings.home);
  const searchUsable = search.backend !== "local" || existsSync(join(search.local.directory, "index.json"));
  return new ToolRegistry([
    pythonTool,
    ...(searchUsable ? [createWebSearchTool(search)] : []),
    ...createPageReadingTools(settings.readPage),
    ...createFileTools(settings.readFile),
    ...createImageTools(settings.images),
  ]);
}
