// `web_search` over the local index. Before searching, folders scanned longer ago than
// `refreshAfterMs` are brought up to date (changed files re-indexed, deleted ones dropped), so
// results do not point at files that are gone. Parallel searches in one process share one
// refresh; when another process holds the index's lock, the search uses the index as it is.
import { PonderError, ToolInfraError } from "../../../../core/errors.js";
import { raceAbort } from "../../../../core/abort.js";
import type { SearchBackend, SearchResult } from "../search-backend.js";
import type { LocalSearchSettings } from "../search-settings.js";
import type { IndexState } from "./index-file.js";
import { loadIndex } from "./index-reader.js";
import { searchIndexState } from "./index-search.js";
import { updateFolders } from "./local-index.js";
import { readScanTimes, type ScanTimes } from "./scan-times.js";

const refreshes = new Map<string, Promise<void>>();

export function createLocalBackend(settings: LocalSearchSettings): SearchBackend {
  return {
    label: "the local document index",
    async search(query, maxResults, signal): Promise<SearchResult[]> {
      let state = await loadIndexForSearch(settings.directory);
      if (state.folders.length === 0) {
        throw new ToolInfraError(
          "The local document index is empty: the user has not added any folders. Searching again will not help; " +
            "the user can add documents with `ponder index add <folder>` or configure a web search backend.",
        );
      }
      if (isStale(state, await readScanTimes(settings.directory), settings.refreshAfterMs)) {
        await refresh(settings.directory, signal);
        state = await loadIndexForSearch(settings.directory);
      }
      signal.throwIfAborted();
      const hits = searchIndexState(settings.directory, state, query, maxResults);
      return hits.map((hit) => ({ title: hit.title, url: hit.url, snippet: hit.snippet }));
    },
  };
}

/** The index, with a damaged one reported as a tool failure that says what the user can do. */
async function loadIndexForSearch(directory: string): Promise<IndexState> {
  try {
    return await loadIndex(directory);
  } catch (error) {
    if (error instanceof PonderError)
      throw new ToolInfraError(`${error.message}${error.hint ? ` The user can fix it: ${error.hint}` : ""}`, error);
    throw error;
  }
}

function isStale(state: IndexState, scans: ScanTimes, refreshAfterMs: number): boolean {
  const oldest = Math.min(...state.folders.map((folder) => Date.parse(scans[folder.path] ?? "")));
  // A folder never scanned (or a missing scans.json) gives NaN, which counts as stale.
  return !(Date.now() - oldest < refreshAfterMs);
}

/**
 * Runs one refresh per directory at a time; later callers wait for the one running. A refresh
 * that fails (another writer holds the lock, a folder became unreadable, the caller that started
 * it was cancelled) leaves the last index in place, which is still a correct one to search.
 */
async function refresh(directory: string, signal: AbortSignal): Promise<void> {
  let running = refreshes.get(directory);
  if (!running) {
    running = updateFolders(directory, undefined, { signal })
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => refreshes.delete(directory));
    refreshes.set(directory, running);
  }
  await raceAbort(running, signal);
}
