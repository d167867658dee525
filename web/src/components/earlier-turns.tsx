import type { RunJson } from "../api/api-types.js";
import { formatTokens, shorten } from "../format/format-values.js";
import { runLink } from "../hooks/use-hash-route.js";
import { MarkdownText } from "./markdown-text.js";
import { StatusBadge } from "./status-badge.js";

/**
 * The turns of the conversation before this run, oldest first, each collapsed to one line: its
 * question, status and size. Opened, a turn shows its question and answer and links to its steps.
 * The run's own page below is the latest turn, open.
 */
export function EarlierTurns({ run, turns }: { run: RunJson; turns: RunJson[] }) {
  const earlier = turns.slice(
    0,
    Math.max(
      0,
      turns.findIndex((turn) => turn.id === run.id),
    ),
  );
  if (earlier.length === 0) return null;
  return (
    <section className="earlier-turns" aria-label="Earlier turns">
      {earlier.map((turn, index) => (
        <details key={turn.id} className="turn">
          <summary>
            <span className="turn-number">Turn {index + 1}</span> <StatusBadge status={turn.status} interrupted={turn.interrupted} />{" "}
            {shorten(turn.input, 100) || "(no text)"}{" "}
            <span className="muted">
              · {turn.usage.steps} steps · {formatTokens(turn.usage.inputTokens + turn.usage.outputTokens)} tokens
            </span>
          </summary>
          <p className="turn-question">{turn.input}</p>
          {turn.answer?.trim() && <MarkdownText text={turn.answer} className="turn-answer" />}
          <p>
            <a href={runLink(turn.id)}>Open this turn's steps</a>
          </p>
        </details>
      ))}
      <p className="turn-number">Turn {earlier.length + 1}</p>
    </section>
  );
}
