import { useState, type FormEvent } from "react";
import { errorText, postJson } from "../api/api-client.js";
import { activeStatuses, type RunJson } from "../api/api-types.js";
import { ErrorMessage } from "./error-message.js";

/** A message to a run that is still advancing: the loop reads it before its next step. */
export function SteerBox({ run }: { run: RunJson }) {
  const [message, setMessage] = useState("");
  const [interrupt, setInterrupt] = useState(false);
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState<string>();
  const [error, setError] = useState<string>();
  // Nobody reads a steer of a run whose process died, and a strategy is steered through its samples.
  if (!activeStatuses.includes(run.status) || run.interrupted || run.strategy) return null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!message.trim()) return;
    setSending(true);
    setError(undefined);
    try {
      await postJson(`/v1/runs/${encodeURIComponent(run.id)}/steer`, { message, ...(interrupt ? { interrupt: true } : {}) });
      setSent(message);
      setMessage("");
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setSending(false);
    }
  };

  return (
    <form className="steer" onSubmit={(event) => void submit(event)} aria-label="Steer the run">
      <label htmlFor="steer-message">Steer: tell the model something before its next step</label>
      <div className="steer-row">
        <input
          id="steer-message"
          name="steer"
          placeholder="e.g. Use only sources from 2024"
          value={message}
          onChange={(event) => setMessage(event.target.value)}
        />
        <button type="submit" disabled={sending || !message.trim()}>
          {sending ? "Sending…" : "Send"}
        </button>
      </div>
      <label className="steer-interrupt">
        <input type="checkbox" checked={interrupt} onChange={(event) => setInterrupt(event.target.checked)} /> Interrupt: stop the model
        mid-thought so it reads this now
      </label>
      {sent && (
        <p className="muted">
          Sent: “{sent}”. {interrupt ? "The model's current turn stops and it reads the message." : "The model reads it at its next step."}
        </p>
      )}
      <ErrorMessage message={error} />
    </form>
  );
}
