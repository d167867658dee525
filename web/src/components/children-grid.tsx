import type { AnswerCluster, RunJson } from "../api/api-types.js";
import { clusterColour, clusterOfRun } from "../format/cluster-colours.js";
import { shorten, statusLabel } from "../format/format-values.js";
import { runLink } from "../hooks/use-hash-route.js";

/**
 * One small cell per child run; a cell opens the child. With answer clusters (best-of-N), a
 * finished sample is coloured by the cluster its answer fell in and names that answer on hover;
 * otherwise, and while no answers are grouped yet, cells are coloured by status.
 */
export function ChildrenGrid({ runs, clusters }: { runs: RunJson[]; clusters?: AnswerCluster[] | null }) {
  if (runs.length === 0) return <p className="muted">No samples started yet.</p>;
  const counts = new Map<string, number>();
  for (const run of runs) {
    const status = run.interrupted && run.status === "running" ? "interrupted" : run.status;
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  const clusterOf = clusterOfRun(clusters);
  return (
    <>
      <ol className="children-grid" aria-label="Child runs">
        {runs.map((run, index) => {
          const role = run.metadata.role ?? "run";
          const status = run.interrupted && run.status === "running" ? "interrupted" : run.status;
          const cluster = clusterOf.get(run.id);
          const answer = cluster?.cluster.answer ?? run.answer;
          const label = `${role} ${run.metadata.index ?? index + 1}: ${statusLabel(status)}${answer ? ` — ${shorten(answer, 120)}` : ""}`;
          return (
            <li key={run.id}>
              <a
                className={`cell status-${status}${cluster ? " clustered" : ""}`}
                href={runLink(run.id)}
                title={label}
                aria-label={label}
                data-cluster={cluster?.index}
                style={cluster ? { background: clusterColour(cluster.index), borderColor: clusterColour(cluster.index) } : undefined}
              >
                {role === "sample" || !run.metadata.role ? "" : role.slice(0, 1).toUpperCase()}
              </a>
            </li>
          );
        })}
      </ol>
      <p className="muted legend">{[...counts.entries()].map(([status, count]) => `${count} ${statusLabel(status)}`).join(" · ")}</p>
    </>
  );
}
