import { useState } from "react";
import { errorText, postJson } from "../api/api-client.js";
import { finishedStatuses, type RunJson } from "../api/api-types.js";
import { formatCost, formatDuration, formatTokens } from "../format/format-values.js";
import { useNow } from "../hooks/use-now.js";
import { ErrorMessage } from "./error-message.js";
import { StatusBadge } from "./status-badge.js";

/** The run's question, status, spend so far, and the Cancel button while it can still be stopped. */
export function RunHeader({ run, connected, onChanged }: { run: RunJson; connected: boolean; onChanged: () => void }) {
  const finished = finishedStatuses.includes(run.status);
  const now = useNow(!finished);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<string>();
  const started = Date.parse(run.created_at);
  const ended = run.finished_at ? Date.parse(run.finished_at) : now;
  const { usage } = run;

  const cancel = async () => {
    setCancelling(true);
    setError(undefined);
    try {
      await postJson(`/v1/runs/${encodeURIComponent(run.id)}/cancel`);
      onChanged();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setCancelling(false);
    }
  };

  return (
    <header className="run-header">
      <p className="crumbs">
        <a href="#/">← Runs</a>
        {run.parent_id && (
          <>
            {" · "}
            <a href={`#/runs/${encodeURIComponent(run.parent_id)}`}>parent run</a>
          </>
        )}
      </p>
      <h1 className="run-question">{run.input}</h1>
      <div className="run-status-line">
        <StatusBadge status={run.status} />
        {run.interrupted && <span className="tag warning">interrupted</span>}
        {connected && <span className="tag live">live</span>}
        {run.strategy && <span className="tag">{run.strategy.name}</span>}
        <span className="muted">
          {run.model} · {run.effort}
        </span>
        {!finished && (
          <button type="button" className="danger" disabled={cancelling} onClick={() => void cancel()}>
            {cancelling ? "Cancelling…" : "Cancel"}
          </button>
        )}
      </div>
      <dl className="usage" aria-label="Usage">
        <div>
          <dt>Elapsed</dt>
          <dd>{formatDuration(ended - started)}</dd>
        </div>
        <div>
          <dt>Steps</dt>
          <dd>{usage.steps}</dd>
        </div>
        <div>
          <dt>Tool calls</dt>
          <dd>{usage.toolCalls}</dd>
        </div>
        <div>
          <dt>Tokens in / out</dt>
          <dd>
            {formatTokens(usage.inputTokens)} / {formatTokens(usage.outputTokens)}
          </dd>
        </div>
        <div>
          <dt>Reasoning</dt>
          <dd>{formatTokens(usage.reasoningTokens)}</dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd>{formatCost(usage.costUsd, usage.costKnown)}</dd>
        </div>
      </dl>
      {run.budget_exhausted && (
        <p className="muted">Budget ran out ({run.budget_exhausted}); the answer came from a final turn without tools.</p>
      )}
      <ErrorMessage message={error} />
    </header>
  );
}
