import { useState, type FormEvent } from "react";
import { errorText, postJson } from "../api/api-client.js";
import { finishedStatuses, type CreateRunRequest, type RunJson } from "../api/api-types.js";
import { navigate, runLink } from "../hooks/use-hash-route.js";
import { ErrorMessage } from "./error-message.js";

/** A follow-up question to a finished run (completed, failed or cancelled): the conversation's next turn. */
export function ReplyBox({ run }: { run: RunJson }) {
  const [message, setMessage] = useState("");
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();
  if (!finishedStatuses.includes(run.status) || run.strategy) return null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!message.trim()) return;
    setSending(true);
    setError(undefined);
    try {
      const request: CreateRunRequest = { input: message, continue_from: run.id };
      const next = await postJson<RunJson>("/v1/runs", request);
      setMessage("");
      navigate(runLink(next.id));
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setSending(false);
    }
  };

  return (
    <form className="reply" onSubmit={(event) => void submit(event)} aria-label="Reply">
      <label htmlFor="reply-message">Reply: ask a follow-up in the same conversation and workspace</label>
      <textarea
        id="reply-message"
        name="reply"
        rows={3}
        placeholder="e.g. Now plot it as a histogram"
        value={message}
        onChange={(event) => setMessage(event.target.value)}
      />
      <button type="submit" disabled={sending || !message.trim()}>
        {sending ? "Sending…" : "Reply"}
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}
