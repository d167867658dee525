import { useEffect, useState } from "react";
import { errorText } from "../api/api-client.js";
import { fetchArtifact } from "../api/artifact-files.js";

/**
 * The research report (report.html), in a sandboxed frame with no scripts and no access to this
 * page. Its links (the citations) open in a new tab, since the frame cannot navigate itself. Without
 * the file (not written yet, or unreadable) the run's answer, in Markdown, is shown as text.
 */
export function ReportFrame({ runId, reportItemId, answer }: { runId: string; reportItemId: string | undefined; answer: string | null }) {
  const [html, setHtml] = useState<string>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!reportItemId) return;
    const controller = new AbortController();
    fetchArtifact(runId, reportItemId, controller.signal)
      .then((blob) => blob.text())
      .then(
        (text) => setHtml(withLinksInNewTabs(text)),
        (failure: unknown) => {
          if (!controller.signal.aborted) setError(errorText(failure));
        },
      );
    return () => controller.abort();
  }, [runId, reportItemId]);

  if (html !== undefined) {
    return <iframe className="report-frame" title="Research report" sandbox="allow-popups allow-popups-to-escape-sandbox" srcDoc={html} />;
  }
  return (
    <>
      {error && <p className="muted">The HTML report could not be loaded ({error}); here is the answer as text.</p>}
      {answer !== null && <div className="prose report-text">{answer}</div>}
    </>
  );
}

/** A <base target="_blank"> makes every link of the report open a new tab. */
function withLinksInNewTabs(html: string): string {
  const base = '<base target="_blank">';
  if (/<head[^>]*>/i.test(html)) return html.replace(/<head[^>]*>/i, (head) => `${head}${base}`);
  return `${base}${html}`;
}
