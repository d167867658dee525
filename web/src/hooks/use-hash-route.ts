import { useEffect, useState } from "react";

export type Route = { page: "runs" } | { page: "new" } | { page: "run"; runId: string } | { page: "eval-report"; runId: string };

/**
 * The page's place, kept in the URL hash (`#/runs/<id>`, `#/new`): the server serves the same
 * index.html for every path, and a hash link survives a reload and can be shared.
 */
export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(window.location.hash));
  useEffect(() => {
    const changed = () => setRoute(routeOf(window.location.hash));
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);
  return route;
}

export function navigate(path: string): void {
  window.location.hash = path;
}

export function runLink(runId: string): string {
  return `#/runs/${encodeURIComponent(runId)}`;
}

export function evalReportLink(runId: string): string {
  return `#/runs/${encodeURIComponent(runId)}/report`;
}

function routeOf(hash: string): Route {
  const path = hash.replace(/^#/, "");
  const report = /^\/runs\/([^/]+)\/report$/.exec(path);
  if (report?.[1]) return { page: "eval-report", runId: decodeURIComponent(report[1]) };
  const run = /^\/runs\/([^/]+)$/.exec(path);
  if (run?.[1]) return { page: "run", runId: decodeURIComponent(run[1]) };
  if (path === "/new") return { page: "new" };
  return { page: "runs" };
}
