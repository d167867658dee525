import type { RunJson, StoredItemJson } from "../api/api-types.js";
import { useChildRuns } from "../hooks/use-child-runs.js";
import { ErrorMessage } from "./error-message.js";
import { PlanTree } from "./plan-tree.js";
import { ReportFrame } from "./report-frame.js";

/** Deep research: the plan as it runs (planner, one reader per sub-question, writer), then the report. */
export function ResearchView({ run, items }: { run: RunJson; items: StoredItemJson[] }) {
  const children = useChildRuns(run);
  const report = items.findLast(({ item }) => item.type === "artifact" && item.name === "report.html");
  return (
    <section className="research" aria-label="Research">
      <h2>Plan</h2>
      <ErrorMessage message={children.error} />
      <PlanTree question={run.input} runs={children.data ?? []} />
      {(report || run.answer !== null) && (
        <>
          <h2>Report</h2>
          <ReportFrame runId={run.id} reportItemId={report?.item.id} answer={run.answer} />
        </>
      )}
    </section>
  );
}
