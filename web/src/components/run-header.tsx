import { useState } from "react";
import { errorText, postJson } from "../api/api-client.js";
import { finishedStatuses, type RunJson, type Usage } from "../api/api-types.js";
import { formatCost, formatDuration, formatTokens } from "../format/format-values.js";
import { useNow } from "../hooks/use-now.js";
import { ErrorMessage } from "./error-message.js";
import { StatusBadge } from "./status-badge.js";

/**
 * The run's question, status, spend so far, and the buttons a person has: Cancel while it can
 * still be stopped, Resume when its process died, it was paused, or it failed. `totals`: spend to
 * show instead of the run's own (an eval's, summed over its samples).
 */
export function RunHeader({
  run,
  connected,
  onChanged,
  totals,
}: {
  run: RunJson;
  connected: boolean;
  onChanged: () => void;
  totals?: Usage;
}) {
  const finished = finishedStatuses.includes(run.status);
  const ticking = !finished && !run.interrupted && run.status !== "paused";
  const now = useNow(ticking);
  const [busy, setBusy] = useState<"cancel" | "resume">();
  const [error, setError] = useState<string>();
  const [questionOpen, setQuestionOpen] = useState(false);
  const started = Date.parse(run.created_at);
  const ended = run.finished_at ? Date.parse(run.finished_at) : ticking ? now : Date.parse(run.updated_at);
  const usage = totals ?? run.usage;
  const resumable = !run.strategy && (run.interrupted || run.status === "paused" || run.status === "failed");

  const act = async (action: "cancel" | "resume") => {
    setBusy(action);
    setError(undefined);
    try {
      await postJson(`/v1/runs/${encodeURIComponent(run.id)}/${action}`);
      onChanged();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(undefined);
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
      <h1
        className={questionOpen ? "run-question" : "run-question clamped"}
        title={questionOpen ? undefined : "Tap to read all"}
        onClick={() => setQuestionOpen(true)}
      >
        {run.input}
      </h1>
      <div className="run-status-line">
        <StatusBadge status={run.status} interrupted={run.interrupted} />
        {connected && <span className="tag live">live</span>}
        {run.strategy && <span className="tag">{run.strategy.name}</span>}
        <span className="muted run-model">
          {run.model} · {run.effort}
        </span>
        {resumable && (
          <button type="button" className="primary" disabled={busy !== undefined} onClick={() => void act("resume")}>
            {busy === "resume" ? "Resuming…" : "Resume"}
          </button>
        )}
        {!finished && (
          <button type="button" className="danger" disabled={busy !== undefined} onClick={() => void act("cancel")}>
            {busy === "cancel" ? "Cancelling…" : "Cancel"}
          </button>
        )}
      </div>
      {run.interrupted && (
        <p className="notice">
          The process advancing this run stopped (killed, crashed or restarted). Resume continues it from its last checkpoint.
        </p>
      )}
      <dl className="usage" aria-label="Usage">
        <div>
          <dt>Elapsed</dt>
          {/* A stopped run's records say when it started, not how long it worked before it stopped. */}
          <dd>{finished || ticking ? formatDuration(ended - started) : "–"}</dd>
        </div>
        <div>
          <dt>Steps</dt>
          <dd>
            {usage.steps}
            {run.budget.maxSteps ? <span className="muted"> / {run.budget.maxSteps}</span> : null}
          </dd>
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
          <dd>
            {formatCost(usage.costUsd, usage.costKnown)}
            {run.budget.maxCostUsd ? <span className="muted"> / ${run.budget.maxCostUsd}</span> : null}
          </dd>
        </div>
      </dl>
      {run.budget_exhausted && (
        <p className="muted">Budget ran out ({run.budget_exhausted}); the answer came from a final turn without tools.</p>
      )}
      <ErrorMessage message={error} />
    </header>
  );
}
