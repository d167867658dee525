import { selectMethods, type SelectMethod } from "../api/api-types.js";
import type { StrategyChoice, StrategyKind } from "../api/strategy-request.js";

const kinds: { kind: StrategyKind; label: string; hint: string }[] = [
  { kind: "single", label: "Single run", hint: "One run of the loop: the cheapest." },
  { kind: "best_of_n", label: "Best of N", hint: "N independent samples, then one answer is chosen from them." },
  { kind: "until_confident", label: "Until confident", hint: "Samples until one answer clearly leads, or the maximum is reached." },
  { kind: "research", label: "Research", hint: "Plans sub-questions, reads sources, writes a cited report." },
];

const selectHints: Record<SelectMethod, string> = {
  vote: "vote: the most common answer",
  judge: "judge: a model compares the answers",
  synthesize: "synthesize: a model writes one answer from all",
};

/** The strategy part of the new-task form. */
export function StrategyFields({ choice, onChange }: { choice: StrategyChoice; onChange: (choice: StrategyChoice) => void }) {
  const set = (patch: Partial<StrategyChoice>) => onChange({ ...choice, ...patch });
  const sampling = choice.kind === "best_of_n" || choice.kind === "until_confident";
  return (
    <fieldset className="strategy">
      <legend>Strategy</legend>
      <div className="strategy-kinds">
        {kinds.map(({ kind, label, hint }) => (
          <label key={kind} className="radio-card">
            <input type="radio" name="strategy" value={kind} checked={choice.kind === kind} onChange={() => set({ kind })} />
            <span>
              <strong>{label}</strong>
              <span className="muted">{hint}</span>
            </span>
          </label>
        ))}
      </div>
      {sampling && (
        <div className="field-row">
          {choice.kind === "best_of_n" && (
            <label>
              Samples
              <input
                name="samples"
                type="number"
                min={1}
                step={1}
                inputMode="numeric"
                value={choice.samples}
                onChange={(event) => set({ samples: event.target.value })}
              />
            </label>
          )}
          {choice.kind === "until_confident" && (
            <>
              <label>
                Confidence threshold
                <input
                  name="threshold"
                  type="number"
                  min={0.5}
                  max={0.99}
                  step={0.05}
                  inputMode="decimal"
                  value={choice.threshold}
                  onChange={(event) => set({ threshold: event.target.value })}
                />
              </label>
              <label>
                Max samples
                <input
                  name="max-samples"
                  type="number"
                  min={1}
                  step={1}
                  inputMode="numeric"
                  value={choice.maxSamples}
                  onChange={(event) => set({ maxSamples: event.target.value })}
                />
              </label>
            </>
          )}
          <label>
            Select
            <select name="select" value={choice.select} onChange={(event) => set({ select: event.target.value as SelectMethod })}>
              {selectMethods.map((method) => (
                <option key={method} value={method}>
                  {selectHints[method]}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
    </fieldset>
  );
}
