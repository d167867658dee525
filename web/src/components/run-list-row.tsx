import type { RunJson } from "../api/api-types.js";
import { formatCost, formatTime, formatTokens, shorten } from "../format/format-values.js";
import { runLink } from "../hooks/use-hash-route.js";
import { StatusBadge } from "./status-badge.js";

export function RunListRow({ run }: { run: RunJson }) {
  const tokens = run.usage.inputTokens + run.usage.outputTokens;
  return (
    <li>
      <a className="run-row" href={runLink(run.id)}>
        <span className="run-row-top">
          <StatusBadge status={run.status} />
          {run.strategy && <span className="tag">{run.strategy.name}</span>}
          <span className="muted run-row-time">{formatTime(run.created_at)}</span>
        </span>
        <span className="run-row-input">{shorten(run.input, 140) || "(no text)"}</span>
        <span className="muted run-row-meta">
          {run.model} · {run.effort} · {formatTokens(tokens)} tokens · {formatCost(run.usage.costUsd, run.usage.costKnown)}
        </span>
      </a>
    </li>
  );
}
