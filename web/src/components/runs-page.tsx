import { useState } from "react";
import { runStatuses, type RunJson, type RunStatus } from "../api/api-types.js";
import { statusLabel } from "../format/format-values.js";
import { useRunPages } from "../hooks/use-run-pages.js";
import { ErrorMessage } from "./error-message.js";
import { RunListRow } from "./run-list-row.js";

const refreshIntervalMs = 2000;
const pageSize = 50;

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

/**
 * The caller's top-level runs, newest first, a conversation as one entry; a strategy's children
 * open from their parent. The newest page is refreshed every two seconds, older ones come a page
 * at a time with "Load older".
 */
export function RunsPage() {
  const [status, setStatus] = useState<RunStatus | "">("");
  const query = new URLSearchParams({ top_level: "true", ...(status ? { status } : {}) }).toString();
  const { loaded, error, loadingOlder, loadOlder } = useRunPages(query, pageSize, refreshIntervalMs);
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
      <ErrorMessage message={error} />
      {loaded === undefined && !error && <p className="muted">Loading runs…</p>}
      {loaded?.runs.length === 0 && (
        <p className="muted">
          {status ? `No ${statusLabel(status)} runs.` : "No runs yet."} <a href="#/new">Start a task</a>.
        </p>
      )}
      {loaded && loaded.runs.length > 0 && (
        <ul className="run-list">
          {conversationsOf(loaded.runs).map(({ latest, first, turns }) => (
            <RunListRow key={latest.id} run={latest} question={first.input} turns={turns} />
          ))}
        </ul>
      )}
      {loaded?.hasMore && (
        <button type="button" className="load-older" onClick={loadOlder} disabled={loadingOlder}>
          Load older
        </button>
      )}
    </section>
  );
}
