import type { AnyTool } from "../../tool.js";
import { createFindInPageTool } from "./find-in-page-tool.js";
import { createReadPageTool } from "./read-page-tool.js";
import type { ReadPageSettings } from "./read-page-settings.js";
import type { LocalDocumentOpener } from "./page-loader.js";

export { createFindInPageTool } from "./find-in-page-tool.js";
export type { FindInPageArguments } from "./find-in-page-tool.js";
export { createReadPageTool } from "./read-page-tool.js";
export type { ReadPageArguments } from "./read-page-tool.js";
export { defaultReadPageSettings, readPageSettingsSchema, resolveReadPageSettings } from "./read-page-settings.js";
export type { ReadPageSettings, ResolvedReadPageSettings } from "./read-page-settings.js";
export { checkWebUrl, fetchPage } from "./fetch-page.js";
export type { FetchedPage, FetchSettings } from "./fetch-page.js";
export { loadPage, pageCacheResource, type LocalDocumentOpener } from "./page-loader.js";

/**
 * read_page and find_in_page with the same settings, so their page numbers agree. With
 * `openLocal`, they also open the file:// URLs of local search results.
 */
export function createPageReadingTools(settings: ReadPageSettings = {}, openLocal?: LocalDocumentOpener): AnyTool[] {
  return [createReadPageTool(settings, openLocal), createFindInPageTool(settings, openLocal)];
}
