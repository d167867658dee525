import type { RunJson } from "../api/api-types.js";
import { formatCost, formatTime, formatTokens, shorten } from "../format/format-values.js";
import { runLink } from "../hooks/use-hash-route.js";
import { StatusBadge } from "./status-badge.js";

/** A run, or a conversation: its latest turn, under its first question, with its number of turns. */
export function RunListRow({ run, question = run.input, turns = 1 }: { run: RunJson; question?: string; turns?: number }) {
  const tokens = run.usage.inputTokens + run.usage.outputTokens;
  return (
    <li>
      <a className="run-row" href={runLink(run.id)}>
        <span className="run-row-top">
          <StatusBadge status={run.status} interrupted={run.interrupted} />
          {run.strategy && <span className="tag">{run.strategy.name}</span>}
          {turns > 1 && <span className="tag">{turns} turns</span>}
          <span className="muted run-row-time">{formatTime(run.created_at)}</span>
        </span>
        <span className="run-row-input">{shorten(question, 140) || "(no text)"}</span>
        <span className="muted run-row-meta">
          {/* An eval's own run does no model work: its results say more than its zero spend (its page sums its samples'). */}
          {run.strategy?.name === "eval"
            ? shorten(run.answer ?? "running", 140)
            : `${run.model} · ${run.effort} · ${formatTokens(tokens)} tokens · ${formatCost(run.usage.costUsd, run.usage.costKnown)}`}
        </span>
      </a>
    </li>
  );
}
