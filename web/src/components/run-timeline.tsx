import { memo } from "react";
import type { StoredItemJson } from "../api/api-types.js";
import { TimelineItem, type CallState } from "./timeline-item.js";

/**
 * The run's items grouped by step. A tool call is shown once, with its output and its approval
 * decision folded in, so the reader sees each call where the model made it. Memoised: live
 * typing re-renders the page many times a second, the stored items rarely change.
 * `stoppedCalls`: of an interrupted run, the calls that were running when its process stopped.
 */
export const RunTimeline = memo(function RunTimeline({
  runId,
  items,
  stoppedCalls,
}: {
  runId: string;
  items: StoredItemJson[];
  stoppedCalls?: string[];
}) {
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
  const shown = items.filter(({ item }) => !isFoldedIntoCall(item, calls));
  const steps = groupByStep(shown);
  if (steps.length === 0) return null;
  return (
    <section className="timeline" aria-label="Steps">
      {steps.map(([step, entries]) => (
        <section key={step} className="step">
          <h2 className="step-heading">{step === 0 ? "Start" : `Step ${step}`}</h2>
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

function isFoldedIntoCall(item: StoredItemJson["item"], calls: Map<string, CallState>): boolean {
  if (item.type === "approval_request" || item.type === "approval_response") return calls.has(item.call_id);
  if (item.type === "function_call_output") return calls.has(item.call_id);
  return false;
}

function groupByStep(items: StoredItemJson[]): [number, StoredItemJson[]][] {
  const groups = new Map<number, StoredItemJson[]>();
  for (const stored of items) groups.set(stored.step, [...(groups.get(stored.step) ?? []), stored]);
  return [...groups.entries()].sort(([left], [right]) => left - right);
}
