import { useEffect, useState } from "react";
import { apiFetch, errorText } from "../api/api-client.js";
import { runLink } from "../hooks/use-hash-route.js";
import { ErrorMessage } from "./error-message.js";

/**
 * An eval's HTML report (`GET /v1/evals/{id}/report`, fetched with the key), in a sandboxed
 * frame with no scripts and no access to this page, as tall as the window.
 */
export function EvalReportPage({ runId }: { runId: string }) {
  const [html, setHtml] = useState<string>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    const controller = new AbortController();
    apiFetch(`/v1/evals/${encodeURIComponent(runId)}/report`, { signal: controller.signal })
      .then((response) => response.text())
      .then(setHtml, (failure: unknown) => {
        if (!controller.signal.aborted) setError(errorText(failure));
      });
    return () => controller.abort();
  }, [runId]);
  return (
    <section className="eval-report" aria-label="Eval report">
      <p className="crumbs">
        <a href={runLink(runId)}>← The eval run</a>
      </p>
      <ErrorMessage message={error} />
      {html === undefined && !error && <p className="muted">Making the report…</p>}
      {html !== undefined && <iframe className="eval-report-frame" title="Eval report" sandbox="" srcDoc={html} />}
    </section>
  );
}
