import { existsSync } from "node:fs";
import { join } from "node:path";
import type { BuiltinToolSettings } from "../config/resolve-settings.js";
import { ToolRegistry } from "../tools/registry.js";
import { createBrowserTools, findChromiumExecutable } from "../tools/browser/index.js";
import { createFileTools } from "../tools/files/index.js";
import { createImageTools } from "../tools/image/index.js";
import { pythonTool } from "../tools/python/index.js";
import { createPageReadingTools } from "../tools/web/read/index.js";
import { createWebSearchTool, readIndexedDocument, searchSettingsFrom } from "../tools/web/search/index.js";
import type { LocalDocumentOpener } from "../tools/web/read/index.js";
import type { IndexedDocumentText } from "../tools/web/search/index.js";
import type { ExtractedDocument } from "../tools/documents/extract-text.js";

/**
 * Every tool Ponder ships; a run uses all of them unless told otherwise. `web_search` is offered
 * when it can answer: a remote backend is configured, or the local index has documents
 * (`ponder index add <folder>`). The browser tools are offered when a Chromium is installed.
 */
export function builtinTools(settings: BuiltinToolSettings): ToolRegistry {
  const search = searchSettingsFrom(settings.search, settings.env, settings.home);
  const searchUsable = search.backend !== "local" || recentlyChecked(`index ${search.local.directory}`, () => existsSync(join(search.local.directory, "index.json")));
  // Local search results are file:// URLs; read_page opens exactly those documents, nothing else.
  const openLocal: LocalDocumentOpener | undefined =
    search.backend === "local" ? (url) => readIndexedDocument(search.local.directory, url).then(asExtractedDocument) : undefined;
  return new ToolRegistry([
    pythonTool,
    ...(searchUsable ? [createWebSearchTool(search)] : []),
    ...createPageReadingTools(settings.readPage, openLocal),
    ...(recentlyChecked(`chromium ${settings.browser?.executablePath ?? ""}`, () => chromiumInstalled(settings.browser?.executablePath))
      ? createBrowserTools(settings.browser)
      : []),
    ...createFileTools(settings.readFile),
    ...createImageTools(settings.images),
  ]);
}

function asExtractedDocument(indexed: IndexedDocumentText | undefined): ExtractedDocument | undefined {
  if (!indexed) return undefined;
  const starts = indexed.pages ?? [];
  const pages = starts.map((page, index) => ({ number: page.number, text: indexed.text.slice(page.start, starts[index + 1]?.start ?? indexed.text.length) }));
  return { title: indexed.title, text: indexed.text, ...(pages.length > 0 ? { pages } : {}) };
}

// A server starts a run per request: the filesystem is asked at most once a few seconds, which
// still notices a Chromium installed or an index built while it runs.
const checkLifetimeMs = 5_000;
const checks = new Map<string, { value: boolean; until: number }>();

function recentlyChecked(key: string, check: () => boolean): boolean {
  const now = Date.now();
  const known = checks.get(key);
  if (known !== undefined && known.until > now) return known.value;
  const value = check();
  checks.set(key, { value, until: now + checkLifetimeMs });
  return value;
}

function chromiumInstalled(configured: string | undefined): boolean {
  try {
    findChromiumExecutable(configured);
    return true;
  } catch {
    return false;
  }
}
