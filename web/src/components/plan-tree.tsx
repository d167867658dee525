import type { RunJson } from "../api/api-types.js";
import { shorten } from "../format/format-values.js";
import { runLink } from "../hooks/use-hash-route.js";
import { StatusBadge } from "./status-badge.js";

const roleOrder = ["planner", "reader", "writer"];
const roleTitles: Record<string, string> = { planner: "Planning", reader: "Reading (one run per sub-question)", writer: "Writing" };

/** The research question, and under it each phase's child runs with their status. */
export function PlanTree({ question, runs }: { question: string; runs: RunJson[] }) {
  const roles = [...new Set(runs.map(roleOf))].sort((left, right) => rank(left) - rank(right));
  return (
    <div className="plan-tree">
      <p className="plan-root">{question}</p>
      {runs.length === 0 ? (
        <p className="muted">Nothing planned yet.</p>
      ) : (
        <ul>
          {roles.map((role) => (
            <li key={role}>
              <span className="plan-phase">{roleTitles[role] ?? role}</span>
              <ul>
                {runs
                  .filter((run) => roleOf(run) === role)
                  .map((run, index) => (
                    <li key={run.id} className="plan-node">
                      <StatusBadge status={run.status} interrupted={run.interrupted} />{" "}
                      <a href={runLink(run.id)} title={shorten(run.input, 300)}>
                        {labelOf(run, index)}
                      </a>
                    </li>
                  ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function roleOf(run: RunJson): string {
  return run.metadata.role ?? "other";
}

function rank(role: string): number {
  const index = roleOrder.indexOf(role);
  return index === -1 ? roleOrder.length : index;
}

/**
 * A reader is named by its sub-question, from the line of its input that states it. Planners and
 * writers all start from the same question, so they are told apart by their order instead.
 */
function labelOf(run: RunJson, index: number): string {
  const subQuestion = /^Your sub-question: (.+)$/m.exec(run.input)?.[1];
  if (subQuestion) return shorten(subQuestion, 160);
  return `${roleOf(run)} run ${index + 1}`;
}
