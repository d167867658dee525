export { createWebSearchTool, formatResults } from "./web-search-tool.js";
export type { WebSearchArgs } from "./web-search-tool.js";
export { createSearchBackend } from "./create-search-backend.js";
export { hostedSearchFor, hostedSearchLabels, searchBackendChosen } from "./hosted-search-settings.js";
export type { HostedSearchProvider, HostedSearchSettings } from "./hosted-search-settings.js";
export type { RemoteBackendOptions, SearchBackend, SearchResult } from "./search-backend.js";
export {
  apiKeyVariables,
  defaultBaseUrls,
  defaultSearchRetry,
  localIndexDirectoryOf,
  searchBackends,
  searchConfigSchema,
  searchSettingsFrom,
} from "./search-settings.js";
export type { LocalSearchSettings, SearchBackendName, SearchConfig, SearchRetrySettings, SearchSettings } from "./search-settings.js";
export { addFolders, listFolders, removeFolders, updateFolders } from "./local/local-index.js";
export type { FolderReport, FolderSummary } from "./local/local-index.js";
export type { ScanProgress } from "./local/folder-scan.js";
export { loadIndex } from "./local/index-reader.js";
export { searchIndexState } from "./local/index-search.js";
export type { LocalHit } from "./local/index-search.js";
export { IndexBusyError } from "./local/index-lock.js";
export { readIndexedDocument } from "./local/indexed-document.js";
export type { IndexedDocumentText } from "./local/indexed-document.js";
