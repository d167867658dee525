import type { RunJson, Usage } from "../api/api-types.js";
import { useChildRuns } from "../hooks/use-child-runs.js";
import { evalReportLink } from "../hooks/use-hash-route.js";
import { ChildrenGrid } from "./children-grid.js";
import { ErrorMessage } from "./error-message.js";
import { RunHeader } from "./run-header.js";

/**
 * An eval: its spend is its samples' (the eval's own run does no model work), its results line,
 * a cell per sample, and a link to the full HTML report.
 */
export function EvalView({ run, connected, onChanged }: { run: RunJson; connected: boolean; onChanged: () => void }) {
  const children = useChildRuns(run);
  const totals = children.data ? sumUsage(children.data.map((child) => child.usage)) : undefined;
  const settings = Object.entries(run.strategy?.settings ?? {});
  return (
    <>
      <RunHeader run={run} connected={connected} onChanged={onChanged} {...(totals ? { totals } : {})} />
      <section className="eval" aria-labelledby="eval-heading">
        <h2 id="eval-heading">Eval</h2>
        {settings.length > 0 && <p className="muted">{settings.map(([name, value]) => `${name}: ${String(value)}`).join(" · ")}</p>}
        {run.answer?.trim() && <pre className="code eval-results">{run.answer}</pre>}
        <p>
          <a className="button" href={evalReportLink(run.id)}>
            Open the eval report
          </a>
        </p>
        <ErrorMessage message={children.error} />
        {children.data && <ChildrenGrid runs={children.data} />}
      </section>
    </>
  );
}

function sumUsage(usages: Usage[]): Usage {
  const total: Usage = {
    steps: 0,
    toolCalls: 0,
    inputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    cachedInputTokens: 0,
    costUsd: 0,
    costKnown: true,
  };
  for (const usage of usages) {
    total.steps += usage.steps;
    total.toolCalls += usage.toolCalls;
    total.inputTokens += usage.inputTokens;
    total.outputTokens += usage.outputTokens;
    total.reasoningTokens += usage.reasoningTokens;
    total.cachedInputTokens += usage.cachedInputTokens;
    total.costUsd += usage.costUsd;
    total.costKnown &&= usage.costKnown;
  }
  return total;
}
