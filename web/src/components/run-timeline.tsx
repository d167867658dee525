import { memo, useRef } from "react";
import type { StepUsageJson, StoredItemJson } from "../api/api-types.js";
import { latestPlan } from "../format/plan-steps.js";
import { PlanChecklist } from "./plan-checklist.js";
import { StepHeading } from "./step-heading.js";
import { TimelineItem, type CallState } from "./timeline-item.js";

/**
 * The run's items grouped by step, each step headed by its time and tokens. A tool call is shown
 * once, with its output and its approval decision folded in, so the reader sees each call where
 * the model made it. The model's latest plan (update_plan) stands above as a checklist. Memoised:
 * live typing re-renders the page many times a second, the stored items rarely change.
 * `stoppedCalls`: of an interrupted run, the calls that were running when its process stopped.
 */
export const RunTimeline = memo(function RunTimeline({
  runId,
  items,
  steps,
  stoppedCalls,
  shownAbove,
}: {
  runId: string;
  items: StoredItemJson[];
  steps: StepUsageJson[];
  stoppedCalls?: string[];
  /** A text the page already shows above (a research report): its message is not repeated. */
  shownAbove?: string | undefined;
}) {
  const section = useRef<HTMLElement>(null);
  const calls = new Map<string, CallState>();
  for (const { item } of items) {
    if (item.type === "function_call")
      calls.set(item.call_id, { approval: undefined, output: undefined, stopped: stoppedCalls?.includes(item.call_id) ?? false });
  }
  for (const { item } of items) {
    const call = "call_id" in item && item.call_id !== undefined ? calls.get(item.call_id) : undefined;
    if (!call) continue;
    if (item.type === "function_call_output") call.output = item;
    if (item.type === "approval_request" && call.approval === undefined) call.approval = "waiting";
    if (item.type === "approval_response") call.approval = item.approve ? "approved" : "denied";
  }
  const shown = items.filter(({ item }) => !isFoldedIntoCall(item, calls) && !(shownAbove && isMessageOf(item, shownAbove)));
  const groups = groupByStep(shown);
  if (groups.length === 0) return null;
  const usageByStep = new Map(steps.map((step) => [step.step, step]));
  const plan = latestPlan(items.map(({ item }) => item));
  // Expanding every fold at once: the folds are <details>, opened or closed where they are.
  const setAllOpen = (open: boolean) => {
    for (const details of section.current?.querySelectorAll<HTMLDetailsElement>("details.foldable") ?? []) details.open = open;
  };
  return (
    <section ref={section} className="timeline" aria-label="Steps">
      {plan && <PlanChecklist plan={plan} />}
      {(calls.size > 0 || shown.some(({ item }) => !knownTypes.has(item.type))) && (
        <div className="timeline-tools">
          <button type="button" className="link-button" onClick={() => setAllOpen(true)}>
            Expand all
          </button>
          <button type="button" className="link-button" onClick={() => setAllOpen(false)}>
            Collapse all
          </button>
        </div>
      )}
      {groups.map(([step, entries]) => (
        <section key={step} className="step">
          <StepHeading step={step} usage={usageByStep.get(step)} entries={entries} calls={calls} />
          {entries.map((stored) => (
            <TimelineItem
              key={stored.seq}
              runId={runId}
              item={stored.item}
              call={stored.item.type === "function_call" ? calls.get(stored.item.call_id) : undefined}
            />
          ))}
        </section>
      ))}
    </section>
  );
});

/** Item types drawn without a fold; any other (a compaction, a newer type) is a fold, like a tool call. */
const knownTypes = new Set<string>([
  "message",
  "reasoning",
  "function_call",
  "function_call_output",
  "approval_request",
  "approval_response",
  "artifact",
  "source",
  "note",
]);

function isFoldedIntoCall(item: StoredItemJson["item"], calls: Map<string, CallState>): boolean {
  if (item.type === "approval_request" || item.type === "approval_response") return calls.has(item.call_id);
  if (item.type === "function_call_output") return calls.has(item.call_id);
  return false;
}

function isMessageOf(item: StoredItemJson["item"], text: string): boolean {
  return (
    item.type === "message" && item.role === "assistant" && item.content.map((part) => ("text" in part ? part.text : "")).join("") === text
  );
}

function groupByStep(items: StoredItemJson[]): [number, StoredItemJson[]][] {
  const groups = new Map<number, StoredItemJson[]>();
  for (const stored of items) groups.set(stored.step, [...(groups.get(stored.step) ?? []), stored]);
  return [...groups.entries()].sort(([left], [right]) => left - right);
}
