// `--effort auto`: classify the request, decide effort, budget and sampling, and record the
// decision on the run that does the work (a `note` item the model never reads).
import type { Item } from "../../core/items.js";
import { newId } from "../../core/ids.js";
import type { RunStore } from "../../store/run-store.js";
import { classifyRequest, type ClassifyOptions } from "./classify-request.js";
import { decideEffort, describeDecision, type ExplicitChoices, type RoutingDecision } from "./effort-decision.js";

export type RouteOptions = ClassifyOptions & { explicit?: ExplicitChoices };

export async function routeRequest(question: string, options: RouteOptions): Promise<RoutingDecision> {
  const classification = await classifyRequest(question, options);
  return decideEffort(classification, options.explicit);
}

/** Appends the decision to a run's log at `step` (its last), so `ponder show` and `--json` carry it. */
export async function recordDecision(store: RunStore, runId: string, step: number, decision: RoutingDecision): Promise<void> {
  const note: Item = { type: "note", id: newId("note"), kind: "info", text: describeDecision(decision) };
  await store.appendItems(runId, step, [note]);
}

/** The decision as metadata of the run that does the work: its spec says how it was routed from the start. */
export function decisionMetadata(decision: RoutingDecision): Record<string, string> {
  return {
    "effort-auto-class": decision.requestClass,
    "effort-auto-reason": decision.reason,
    "effort-auto-source": decision.source,
    ...(decision.runIds.length > 0 ? { "effort-auto-runs": decision.runIds.join(",") } : {}),
  };
}
