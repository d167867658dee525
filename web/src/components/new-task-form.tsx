import { useState, type FormEvent } from "react";
import { errorText, getJson, postJson } from "../api/api-client.js";
import { efforts, type CreateRunRequest, type Effort, type ListJson, type ModelJson, type RunJson } from "../api/api-types.js";
import { defaultStrategyChoice, strategyRequestOf } from "../api/strategy-request.js";
import { navigate, runLink } from "../hooks/use-hash-route.js";
import { usePolling } from "../hooks/use-polling.js";
import { ErrorMessage } from "./error-message.js";
import { StrategyFields } from "./strategy-fields.js";

/** Starts a run with `POST /v1/runs` and opens it. */
export function NewTaskForm() {
  const [input, setInput] = useState("");
  const [model, setModel] = useState("");
  const [effort, setEffort] = useState<Effort | "">("");
  const [strategy, setStrategy] = useState(defaultStrategyChoice);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();
  // Loaded once: the server's model list does not change while it runs.
  const models = usePolling((signal) => getJson<ListJson<ModelJson>>("/v1/models", signal), "models", 0, false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const chosen = strategyRequestOf(strategy);
    if (chosen.error) return setError(chosen.error);
    if (!input.trim()) return setError("Write the task first.");
    setSending(true);
    setError(undefined);
    try {
      const request: CreateRunRequest = {
        input,
        ...(model ? { model } : {}),
        ...(effort ? { effort } : {}),
        ...(chosen.strategy ? { strategy: chosen.strategy } : {}),
      };
      const run = await postJson<RunJson>("/v1/runs", request);
      navigate(runLink(run.id));
    } catch (failure) {
      setError(errorText(failure));
      setSending(false);
    }
  };

  return (
    <form className="new-task" onSubmit={(event) => void submit(event)} aria-labelledby="new-task-heading">
      <h1 id="new-task-heading">New task</h1>
      <label>
        Task
        <textarea
          name="input"
          rows={5}
          required
          placeholder="What should the model work on?"
          value={input}
          onChange={(event) => setInput(event.target.value)}
        />
      </label>
      <div className="field-row">
        <label>
          Model
          <select name="model" value={model} onChange={(event) => setModel(event.target.value)}>
            <option value="">server default</option>
            {models.data?.data.map((entry) => (
              <option key={entry.id} value={entry.id}>
                {entry.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Effort
          <select name="effort" value={effort} onChange={(event) => setEffort(event.target.value as Effort | "")}>
            <option value="">server default</option>
            {efforts.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </label>
      </div>
      {models.error && <p className="muted">The model list could not be loaded ({models.error}); the server's default model is used.</p>}
      {models.data?.data.length === 0 && (
        <p className="muted">The server lists no models: it has no default model configured, so runs will fail until one is set.</p>
      )}
      <StrategyFields choice={strategy} onChange={setStrategy} />
      <ErrorMessage message={error} />
      <button type="submit" className="primary" disabled={sending}>
        {sending ? "Starting…" : "Start"}
      </button>
    </form>
  );
}
