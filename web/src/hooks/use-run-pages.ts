import { useEffect, useRef, useState } from "react";
import { errorText, getJson } from "../api/api-client.js";
import { withNewestPage, withOlderPage, type LoadedRuns, type RunPageJson } from "../api/run-list-pages.js";
import { usePolling } from "./use-polling.js";

export type RunPages = {
  /** Undefined until the first page arrives. */
  loaded: LoadedRuns | undefined;
  error: string | undefined;
  loadingOlder: boolean;
  loadOlder: () => void;
};

type Snapshot = { key: string; loaded: LoadedRuns | undefined; olderError: string | undefined };

/**
 * The runs matching `query` (a `GET /v1/runs` query string without `limit` or `after`), a page at
 * a time. Only the newest page is polled, so an open tab costs one page per poll however long the
 * history is; `loadOlder` appends the next page once. Another query starts over.
 */
export function useRunPages(query: string, pageSize: number, refreshIntervalMs: number): RunPages {
  const pageQuery = `${query}${query ? "&" : ""}limit=${pageSize}`;
  const newest = usePolling((signal) => getJson<RunPageJson>(`/v1/runs?${pageQuery}`, signal), pageQuery, refreshIntervalMs);
  // The list as it was after the last older page; each fresh newest page is laid over it.
  const [snapshot, setSnapshot] = useState<Snapshot>({ key: pageQuery, loaded: undefined, olderError: undefined });
  const current = snapshot.key === pageQuery ? snapshot : { key: pageQuery, loaded: undefined, olderError: undefined };
  const loaded = newest.data ? withNewestPage(current.loaded, newest.data) : undefined;
  const [loadingOlder, setLoadingOlder] = useState(false);
  // One older page at a time; a new query or leaving the page abandons it.
  const olderRequest = useRef<AbortController | undefined>(undefined);

  useEffect(
    () => () => {
      olderRequest.current?.abort();
      olderRequest.current = undefined;
    },
    [pageQuery],
  );

  const loadOlder = () => {
    const after = loaded?.runs.at(-1)?.id;
    if (!loaded || !after || olderRequest.current) return;
    const controller = new AbortController();
    olderRequest.current = controller;
    setLoadingOlder(true);
    getJson<RunPageJson>(`/v1/runs?${pageQuery}&after=${encodeURIComponent(after)}`, controller.signal)
      .then((page) => setSnapshot({ key: pageQuery, loaded: withOlderPage(loaded, page), olderError: undefined }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setSnapshot({ ...current, olderError: errorText(error) });
      })
      .finally(() => {
        if (olderRequest.current === controller) olderRequest.current = undefined;
        setLoadingOlder(false);
      });
  };

  return { loaded, error: newest.error ?? current.olderError, loadingOlder, loadOlder };
}
