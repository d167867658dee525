import { useState } from "react";
import { errorText, postJson } from "../api/api-client.js";
import type { RunJson, StoredItemJson } from "../api/api-types.js";
import { ErrorMessage } from "./error-message.js";
import { ToolArguments } from "./tool-arguments.js";

type Decision = "approve" | "deny";

/**
 * The tool calls the policy sent to a person: approval requests that no approval response
 * answers yet, while the run waits for them. Each is decided on its own (`call_id`).
 */
export function ApprovalPanel({ run, items, onDecided }: { run: RunJson; items: StoredItemJson[]; onDecided: () => void }) {
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  if (run.status !== "awaiting_approval") return null;
  const answered = new Set(items.flatMap(({ item }) => (item.type === "approval_response" ? [item.call_id] : [])));
  const pending = items.flatMap(({ item }) => (item.type === "approval_request" && !answered.has(item.call_id) ? [item] : []));
  if (pending.length === 0) return null;

  const decide = async (callId: string, decision: Decision) => {
    setBusy(callId);
    setError(undefined);
    try {
      await postJson(`/v1/runs/${encodeURIComponent(run.id)}/${decision}`, { call_id: callId });
      onDecided();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section className="approvals" aria-labelledby="approvals-heading">
      <h2 id="approvals-heading">Waiting for your approval</h2>
      {pending.map((request) => (
        <div key={request.call_id} className="approval">
          <p>
            The model wants to run <code>{request.name}</code> with:
          </p>
          <ToolArguments text={request.arguments} />
          <div className="button-row">
            <button type="button" className="primary" disabled={busy !== undefined} onClick={() => void decide(request.call_id, "approve")}>
              Approve
            </button>
            <button type="button" className="danger" disabled={busy !== undefined} onClick={() => void decide(request.call_id, "deny")}>
              Deny
            </button>
          </div>
        </div>
      ))}
      <ErrorMessage message={error} />
    </section>
  );
}
