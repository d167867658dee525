import type { ArtifactItem, RunJson, StoredItemJson } from "../api/api-types.js";
import { useChildRuns } from "../hooks/use-child-runs.js";
import { DownloadButton } from "./download-button.js";
import { ErrorMessage } from "./error-message.js";
import { MarkdownText } from "./markdown-text.js";
import { PlanTree } from "./plan-tree.js";

/**
 * Deep research: the plan as it runs (planner, one reader per sub-question, writer), then the
 * report, once: its Markdown rendered here, its files (report.html, report.md) to download.
 */
export function ResearchView({ run, items }: { run: RunJson; items: StoredItemJson[] }) {
  const children = useChildRuns(run);
  const reportFiles = items.flatMap(({ item }) =>
    item.type === "artifact" && item.name.startsWith("report.") ? [item as ArtifactItem] : [],
  );
  return (
    <section className="research" aria-label="Research">
      <h2>Plan</h2>
      <ErrorMessage message={children.error} />
      <PlanTree question={run.input} runs={children.data ?? []} />
      {run.answer?.trim() && (
        <section className="report" aria-label="Report">
          <h2>Report</h2>
          <MarkdownText text={run.answer} className="report-text" />
          {reportFiles.length > 0 && (
            <p className="report-files">
              {reportFiles.map((file) => (
                <span key={file.id}>
                  <DownloadButton runId={run.id} item={file} />{" "}
                </span>
              ))}
            </p>
          )}
        </section>
      )}
    </section>
  );
}
