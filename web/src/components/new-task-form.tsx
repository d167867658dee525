import { useState, type FormEvent } from "react";
import { errorText, getJson, postJson } from "../api/api-client.js";
import {
  efforts,
  type CreateRunRequest,
  type Effort,
  type ListJson,
  type ModelJson,
  type RunJson,
  type ToolJson,
} from "../api/api-types.js";
import { budgetRequestOf, emptyBudgetChoice } from "../api/budget-request.js";
import { uploadedFilesOf } from "../api/file-upload.js";
import { defaultStrategyChoice, strategyRequestOf } from "../api/strategy-request.js";
import { navigate, runLink } from "../hooks/use-hash-route.js";
import { usePolling } from "../hooks/use-polling.js";
import { ErrorMessage } from "./error-message.js";
import { RunOptionsFields, type RunOptionsChoice } from "./run-options-fields.js";
import { StrategyFields } from "./strategy-fields.js";

/** What the server takes in one request (32 MB, as base64): the files' own bytes must stay well under it. */
const maxFileBytes = 20 * 1024 * 1024;

/** Starts a run with `POST /v1/runs` (its strategy, budget, tools and files) and opens it. */
export function NewTaskForm() {
  const [input, setInput] = useState("");
  const [model, setModel] = useState("");
  const [effort, setEffort] = useState<Effort | "">("");
  const [strategy, setStrategy] = useState(defaultStrategyChoice);
  const [options, setOptions] = useState<RunOptionsChoice>({ budget: emptyBudgetChoice, tools: undefined, files: [] });
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();
  // Loaded once: the server's model list does not change while it runs.
  const models = usePolling((signal) => getJson<ListJson<ModelJson>>("/v1/models", signal), "models", 0, false);
  const tools = usePolling((signal) => getJson<ListJson<ToolJson>>("/v1/tools", signal), "tools", 0, false);
  const singleRun = strategy.kind === "single";

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const chosen = strategyRequestOf(strategy);
    if (chosen.error) return setError(chosen.error);
    const limits = budgetRequestOf(options.budget);
    if (limits.error) return setError(limits.error);
    if (!input.trim()) return setError("Write the task first.");
    const files = singleRun ? options.files : [];
    if (files.reduce((sum, file) => sum + file.size, 0) > maxFileBytes)
      return setError("The files are larger than 20 MB together; attach fewer or smaller ones.");
    setSending(true);
    setError(undefined);
    try {
      const request: CreateRunRequest = {
        input,
        ...(model ? { model } : {}),
        ...(effort ? { effort } : {}),
        ...(chosen.strategy ? { strategy: chosen.strategy } : {}),
        ...(limits.budget ? { budget: limits.budget } : {}),
        ...(singleRun && options.tools ? { tools: options.tools } : {}),
        ...(files.length > 0 ? { files: await uploadedFilesOf(files) } : {}),
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
      <RunOptionsFields choice={options} onChange={setOptions} tools={tools} singleRun={singleRun} />
      <ErrorMessage message={error} />
      <button type="submit" className="primary" disabled={sending}>
        {sending ? "Starting…" : "Start"}
      </button>
    </form>
  );
}
