import { existsSync } from "node:fs";
import { join } from "node:path";
import type { BuiltinToolSettings } from "../config/resolve-settings.js";
import { ToolRegistry } from "../tools/registry.js";
import { createBrowserTools, findChromiumExecutable } from "../tools/browser/index.js";
import { createFileTools } from "../tools/files/index.js";
import { createImageTools } from "../tools/image/index.js";
import { updatePlanTool } from "../tools/plan/index.js";
import { pythonTool } from "../tools/python/index.js";
import { createPageReadingTools } from "../tools/web/read/index.js";
import {
  createWebSearchTool,
  hostedSearchFor,
  readIndexedDocument,
  searchBackendChosen,
  searchSettingsFrom,
} from "../tools/web/search/index.js";
import type { LocalDocumentOpener } from "../tools/web/read/index.js";
import type { IndexedDocumentText, SearchSettings } from "../tools/web/search/index.js";
import type { ExtractedDocument } from "../tools/documents/extract-text.js";

/**
 * Every tool Ponder ships; a run uses all of them unless told otherwise. `web_search` is offered
 * when it can answer: a remote backend is configured, the run's model (`modelId`) has its
 * provider's hosted web search and no backend is chosen, or the local index has documents
 * (`ponder index add <folder>`); beside a web search the local index is `search_documents`.
 * The browser tools are offered when a Chromium is installed.
 * `update_plan` comes last, so adding it left every other tool's place in the prompt as it was.
 */
export function builtinTools(settings: BuiltinToolSettings, modelId?: string): ToolRegistry {
  const now = Date.now();
  // Settings objects a server reuses (SettingsCache) find their tools without working out the key.
  const bySettings = registriesBySettings.get(settings) ?? new Map<string, { registry: ToolRegistry; until: number }>();
  registriesBySettings.set(settings, bySettings);
  const same = bySettings.get(modelId ?? "");
  if (same !== undefined && same.until > now) return same.registry;
  const configured = searchSettingsFrom(settings.search, settings.env, settings.home);
  const hosted = searchBackendChosen(settings.search, settings.env) ? undefined : hostedSearchFor(modelId, settings.providers);
  const { maxResults, timeoutMs, retry } = configured;
  const search: SearchSettings = hosted ? { maxResults, timeoutMs, retry, backend: "hosted", hosted } : configured;
  // The tools keep no state of their own (a run's lives in its RunResources), so runs with the
  // same settings share them: a server starting a run per request builds them once a few seconds.
  const key = JSON.stringify([search, settings.readPage, settings.browser, settings.readFile, settings.images]);
  let entry = registries.get(key);
  if (entry === undefined || entry.until <= now) {
    entry = { registry: makeBuiltinTools(settings, search), until: now + registryLifetimeMs };
    registries.set(key, entry);
  }
  bySettings.set(modelId ?? "", entry);
  return entry.registry;
}

function makeBuiltinTools(settings: BuiltinToolSettings, search: SearchSettings): ToolRegistry {
  // The local index: the only search when nothing else is, or beside hosted web search.
  const local = search.backend === "hosted" ? searchSettingsFrom(settings.search, settings.env, settings.home) : search;
  const localUsable = local.backend === "local" && existsSync(join(local.local.directory, "index.json"));
  const searchTools = search.backend === "local" ? [] : [createWebSearchTool(search)];
  if (localUsable && local.backend === "local") {
    const searchDocuments = createWebSearchTool(local);
    searchTools.push(searchTools.length > 0 ? { ...searchDocuments, name: "search_documents" } : searchDocuments);
  }
  // Local search results are file:// URLs; read_page opens exactly those documents, nothing else.
  const openLocal: LocalDocumentOpener | undefined =
    local.backend === "local" ? (url) => readIndexedDocument(local.local.directory, url).then(asExtractedDocument) : undefined;
  return new ToolRegistry([
    pythonTool,
    ...searchTools,
    ...createPageReadingTools(settings.readPage, openLocal),
    ...(chromiumInstalled(settings.browser?.executablePath) ? createBrowserTools(settings.browser) : []),
    ...createFileTools(settings.readFile),
    ...createImageTools(settings.images),
    updatePlanTool,
  ]);
}

function asExtractedDocument(indexed: IndexedDocumentText | undefined): ExtractedDocument | undefined {
  if (!indexed) return undefined;
  const starts = indexed.pages ?? [];
  const pages = starts.map((page, index) => ({
    number: page.number,
    text: indexed.text.slice(page.start, starts[index + 1]?.start ?? indexed.text.length),
  }));
  return { title: indexed.title, text: indexed.text, ...(pages.length > 0 ? { pages } : {}) };
}

// Rebuilt after a few seconds, so a Chromium installed or an index built while a server runs is noticed.
const registryLifetimeMs = 5_000;
const registries = new Map<string, { registry: ToolRegistry; until: number }>();
// By model id too: whether web_search is the provider's hosted search depends on the run's model.
const registriesBySettings = new WeakMap<BuiltinToolSettings, Map<string, { registry: ToolRegistry; until: number }>>();

function chromiumInstalled(configured: string | undefined): boolean {
  try {
    findChromiumExecutable(configured);
    return true;
  } catch {
    return false;
  }
}
