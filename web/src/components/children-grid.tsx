import type { RunJson } from "../api/api-types.js";
import { shorten, statusLabel } from "../format/format-values.js";
import { runLink } from "../hooks/use-hash-route.js";

/** One small cell per child run, coloured by its status; a cell opens the child. */
export function ChildrenGrid({ runs }: { runs: RunJson[] }) {
  if (runs.length === 0) return <p className="muted">No samples started yet.</p>;
  const counts = new Map<string, number>();
  for (const run of runs) counts.set(run.status, (counts.get(run.status) ?? 0) + 1);
  return (
    <>
      <ol className="children-grid" aria-label="Child runs">
        {runs.map((run, index) => {
          const role = run.metadata.role ?? "run";
          const label = `${role} ${run.metadata.index ?? index + 1}: ${statusLabel(run.status)}${run.answer ? ` — ${shorten(run.answer, 80)}` : ""}`;
          return (
            <li key={run.id}>
              <a className={`cell status-${run.status}`} href={runLink(run.id)} title={label} aria-label={label}>
                {role === "sample" ? "" : role.slice(0, 1).toUpperCase()}
              </a>
            </li>
          );
        })}
      </ol>
      <p className="muted legend">{[...counts.entries()].map(([status, count]) => `${count} ${statusLabel(status)}`).join(" · ")}</p>
    </>
  );
}
