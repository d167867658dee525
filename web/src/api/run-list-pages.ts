// The runs list as pages of `GET /v1/runs` (keyset pagination, docs/server.md): the newest page is
// polled for live status, older pages are fetched once with `after=<last id>` and appended. Both
// merges keep the list in the server's order, newest first by (created_at, id), without duplicates.
import type { ListJson, RunJson } from "./api-types.js";

/** `GET /v1/runs`: a page of runs, and whether older ones follow. */
export type RunPageJson = ListJson<RunJson> & { first_id: string | null; last_id: string | null; has_more: boolean };

/** The runs loaded so far, newest first, and whether the server has older ones. */
export type LoadedRuns = { runs: RunJson[]; hasMore: boolean };

/** Whether `run` comes after `than` in the server's order: both stores compare these byte-wise. */
function isOlder(run: RunJson, than: RunJson): boolean {
  return run.created_at < than.created_at || (run.created_at === than.created_at && run.id < than.id);
}

/**
 * A fresh newest page replaces everything down to its last run (new runs come in, finished ones
 * change status, filtered-out ones leave) and keeps the older pages below it. When the page does
 * not reach the newest run loaded before (more than a page of runs came in between two polls), the
 * older pages would sit under a gap: the list starts over from this page instead.
 */
export function withNewestPage(loaded: LoadedRuns | undefined, page: RunPageJson): LoadedRuns {
  const boundary = page.data.at(-1);
  const newestLoaded = loaded?.runs[0];
  if (!loaded || !boundary || !newestLoaded || !page.has_more || isOlder(newestLoaded, boundary)) {
    return { runs: page.data, hasMore: page.has_more };
  }
  const older = loaded.runs.filter((run) => isOlder(run, boundary));
  return { runs: [...page.data, ...older], hasMore: older.length > 0 ? loaded.hasMore : page.has_more };
}

/**
 * An older page, fetched with `after` = the last run loaded then. If the list started over
 * meanwhile, that run is no longer last and the page no longer follows: it is dropped.
 */
export function withOlderPage(loaded: LoadedRuns, after: string, page: RunPageJson): LoadedRuns {
  if (loaded.runs.at(-1)?.id !== after) return loaded;
  return { runs: [...loaded.runs, ...page.data], hasMore: page.has_more };
}
