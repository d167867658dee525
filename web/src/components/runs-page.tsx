import { useState } from "react";
import { getJson } from "../api/api-client.js";
import { runStatuses, type ListJson, type RunJson, type RunStatus } from "../api/api-types.js";
import { statusLabel } from "../format/format-values.js";
import { usePolling } from "../hooks/use-polling.js";
import { ErrorMessage } from "./error-message.js";
import { RunListRow } from "./run-list-row.js";

const refreshIntervalMs = 2000;

type Conversation = { latest: RunJson; first: RunJson; turns: number };

/** One entry per conversation, in the order of its latest turn (the list is newest first). */
function conversationsOf(runs: RunJson[]): Conversation[] {
  const byId = new Map<string, Conversation>();
  for (const run of runs) {
    const known = byId.get(run.conversation_id);
    if (known) byId.set(run.conversation_id, { ...known, first: run, turns: known.turns + 1 });
    else byId.set(run.conversation_id, { latest: run, first: run, turns: 1 });
  }
  return [...byId.values()];
}

/** The caller's top-level runs, newest first, a conversation as one entry, refreshed every two seconds; a strategy's children open from their parent. */
export function RunsPage() {
  const [status, setStatus] = useState<RunStatus | "">("");
  const query = new URLSearchParams({ top_level: "true", limit: "100", ...(status ? { status } : {}) }).toString();
  const runs = usePolling((signal) => getJson<ListJson<RunJson>>(`/v1/runs?${query}`, signal), query, refreshIntervalMs);
  return (
    <section aria-labelledby="runs-heading">
      <div className="section-head">
        <h1 id="runs-heading">Runs</h1>
        <label className="inline-field">
          Status
          <select name="status" value={status} onChange={(event) => setStatus(event.target.value as RunStatus | "")}>
            <option value="">all</option>
            {runStatuses.map((value) => (
              <option key={value} value={value}>
                {statusLabel(value)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorMessage message={runs.error} />
      {runs.data === undefined && !runs.error && <p className="muted">Loading runs…</p>}
      {runs.data?.data.length === 0 && (
        <p className="muted">
          {status ? `No ${statusLabel(status)} runs.` : "No runs yet."} <a href="#/new">Start a task</a>.
        </p>
      )}
      {runs.data && runs.data.data.length > 0 && (
        <ul className="run-list">
          {conversationsOf(runs.data.data).map(({ latest, first, turns }) => (
            <RunListRow key={latest.id} run={latest} question={first.input} turns={turns} />
          ))}
        </ul>
      )}
    </section>
  );
}
