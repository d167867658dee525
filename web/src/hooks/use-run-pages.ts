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

type Loaded = { key: string; loaded: LoadedRuns | undefined; olderError: string | undefined };

/**
 * The runs matching `query` (a `GET /v1/runs` query string without `limit` or `after`), a page at
 * a time. Only the newest page is polled, so an open tab costs one page per poll however long the
 * history is; each poll is folded into the list, and `loadOlder` appends the next page once.
 * Another query starts over.
 */
export function useRunPages(query: string, pageSize: number, refreshIntervalMs: number): RunPages {
  const pageQuery = `${query}${query ? "&" : ""}limit=${pageSize}`;
  const [state, setState] = useState<Loaded>({ key: pageQuery, loaded: undefined, olderError: undefined });
  const newest = usePolling(
    async (signal) => {
      const page = await getJson<RunPageJson>(`/v1/runs?${pageQuery}`, signal);
      // A poll of the previous query that answered after the switch is dropped.
      if (!signal.aborted) {
        setState((previous) =>
          previous.key === pageQuery
            ? { ...previous, loaded: withNewestPage(previous.loaded, page) }
            : { key: pageQuery, loaded: withNewestPage(undefined, page), olderError: undefined },
        );
      }
      return page;
    },
    pageQuery,
    refreshIntervalMs,
  );
  const current = state.key === pageQuery ? state : { key: pageQuery, loaded: undefined, olderError: undefined };
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
    const after = current.loaded?.runs.at(-1)?.id;
    if (!after || olderRequest.current) return;
    const controller = new AbortController();
    olderRequest.current = controller;
    setLoadingOlder(true);
    getJson<RunPageJson>(`/v1/runs?${pageQuery}&after=${encodeURIComponent(after)}`, controller.signal)
      .then((page) =>
        setState((previous) =>
          previous.key === pageQuery && previous.loaded
            ? { ...previous, loaded: withOlderPage(previous.loaded, after, page), olderError: undefined }
            : previous,
        ),
      )
      .catch((error: unknown) => {
        if (!controller.signal.aborted)
          setState((previous) => (previous.key === pageQuery ? { ...previous, olderError: errorText(error) } : previous));
      })
      .finally(() => {
        if (olderRequest.current === controller) olderRequest.current = undefined;
        setLoadingOlder(false);
      });
  };

  return { loaded: current.loaded, error: newest.error ?? current.olderError, loadingOlder, loadOlder };
}
