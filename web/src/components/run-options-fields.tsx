import type { ListJson, ToolJson } from "../api/api-types.js";
import type { BudgetChoice } from "../api/budget-request.js";
import { formatBytes } from "../format/format-values.js";
import type { Polled } from "../hooks/use-polling.js";

export type RunOptionsChoice = {
  budget: BudgetChoice;
  /** The tools chosen; undefined: the server's default set. */
  tools: string[] | undefined;
  files: File[];
};

/**
 * Budget, tools and files of the new-task form, folded under one line that says what is set:
 * most tasks need none of them. Tools and files go with single runs only (the API refuses them
 * with a strategy), so `singleRun` hides them otherwise.
 */
export function RunOptionsFields({
  choice,
  onChange,
  tools,
  singleRun,
}: {
  choice: RunOptionsChoice;
  onChange: (choice: RunOptionsChoice) => void;
  tools: Polled<ListJson<ToolJson>>;
  singleRun: boolean;
}) {
  const setBudget = (patch: Partial<BudgetChoice>) => onChange({ ...choice, budget: { ...choice.budget, ...patch } });
  const available = tools.data?.data ?? [];
  const chosen = new Set(choice.tools ?? available.filter((tool) => tool.default).map((tool) => tool.name));
  const toggle = (name: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(name);
    else next.delete(name);
    onChange({ ...choice, tools: available.map((tool) => tool.name).filter((tool) => next.has(tool)) });
  };
  const budgetField = (name: keyof BudgetChoice, label: string, placeholder: string, step: string) => (
    <label>
      {label}
      <input
        name={name}
        type="number"
        min={0}
        step={step}
        inputMode="decimal"
        placeholder={placeholder}
        value={choice.budget[name]}
        onChange={(event) => setBudget({ [name]: event.target.value })}
      />
    </label>
  );
  return (
    <>
      <fieldset className="run-options">
        <legend>Budget</legend>
        <p className="muted">
          Empty fields keep the server's limits. The run stops at the first limit reached and answers from what it has.
        </p>
        <div className="field-row budget-row">
          {budgetField("maxSteps", "Max steps", "e.g. 20", "1")}
          {budgetField("deadlineMinutes", "Deadline (minutes)", "e.g. 10", "any")}
          {budgetField("maxTotalTokens", "Max tokens", "e.g. 200000", "1")}
          {budgetField("maxCostUsd", "Max cost ($)", "e.g. 0.50", "any")}
        </div>
      </fieldset>
      {singleRun && (
        <fieldset className="run-options">
          <legend>Tools and files</legend>
          {tools.error && (
            <p className="muted">The tool list could not be loaded ({tools.error}); the run gets the server's default tools.</p>
          )}
          {available.length > 0 && (
            <div className="tool-choices" role="group" aria-label="Tools">
              {available.map((tool) => (
                <label key={tool.name} className="check" title={tool.description}>
                  <input
                    type="checkbox"
                    name="tool"
                    value={tool.name}
                    checked={chosen.has(tool.name)}
                    onChange={(event) => toggle(tool.name, event.target.checked)}
                  />
                  <code>{tool.name}</code>
                </label>
              ))}
            </div>
          )}
          <label>
            Files for the tools (copied into the run's workspace)
            <input
              type="file"
              name="files"
              multiple
              onChange={(event) => onChange({ ...choice, files: [...(event.target.files ?? [])] })}
            />
          </label>
          {choice.files.length > 0 && (
            <p className="muted">{choice.files.map((file) => `${file.name} (${formatBytes(file.size)})`).join(", ")}</p>
          )}
        </fieldset>
      )}
    </>
  );
}
