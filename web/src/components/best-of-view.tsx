import type { RunJson } from "../api/api-types.js";
import { formatShare } from "../format/format-values.js";
import { useChildRuns } from "../hooks/use-child-runs.js";
import { ChildrenGrid } from "./children-grid.js";
import { DistributionBars } from "./distribution-bars.js";
import { ErrorMessage } from "./error-message.js";

/** Best-of-N and until-confident: every sample as a cell, how their answers spread, and the settings. */
export function BestOfView({ run }: { run: RunJson }) {
  const children = useChildRuns(run);
  const settings = Object.entries(run.strategy?.settings ?? {});
  return (
    <section className="best-of" aria-labelledby="samples-heading">
      <h2 id="samples-heading">Samples</h2>
      {settings.length > 0 && (
        <p className="muted">
          {settings.map(([name, value]) => `${name}: ${String(value)}`).join(" · ")}
          {typeof run.confidence === "number" && ` · confidence ${formatShare(run.confidence)}`}
        </p>
      )}
      <ErrorMessage message={children.error} />
      {children.data && <ChildrenGrid runs={children.data} clusters={run.distribution} />}
      {run.distribution && run.distribution.length > 0 && <DistributionBars clusters={run.distribution} winner={run.answer} />}
    </section>
  );
}
