import { z } from "zod";
import { newId } from "../../core/ids.js";
import type { ApprovalResponseItem } from "../../core/items.js";
import { finishedStatuses, type RunRecord } from "../../core/run.js";
import { isInterrupted } from "../../library/run-liveness.js";
import type { RunControls } from "../../queue/run-controls.js";
import { deriveRunState } from "../../loop/run-state.js";
import { isAdvancingElsewhere } from "../advancing-elsewhere.js";
import { badRequest, conflict } from "../http-error.js";
import { sendJson } from "../http-response.js";
import { readJsonBody } from "../request-body.js";
import { decidedRunSchema, runSchema, steerAcceptedSchema } from "../response-body-schemas.js";
import type { RequestContext, Route } from "../router.js";
import { visibleRun } from "../run-access.js";
import { relaunchRun } from "../run-launcher.js";
import { runJson } from "../run-view.js";
import type { Caller, ServerState } from "../server-state.js";

const decisionSchema = z.strictObject({ call_id: z.string().min(1).optional(), reason: z.string().max(10_000).optional() });
const steerSchema = z.strictObject({ message: z.string().trim().min(1).max(100_000), interrupt: z.boolean().optional() });

/**
 * Stops a run. A run advancing in this server is aborted (its tools too) and ends at its next
 * checkpoint. A run advanced by another process (a worker, `ponder submit`) gets a durable cancel
 * request that process takes at its next poll, so the record returned is still running. A queued
 * run gets the request too (in case a worker takes it meanwhile) and is marked cancelled, like a
 * stored run that nobody advances (waiting for approval, paused, interrupted).
 */
export async function cancelRun(state: ServerState, caller: Caller, runId: string): Promise<RunRecord> {
  const record = await visibleRun(state, caller, runId);
  const live = state.live.get(runId);
  if (live) {
    live.handle.cancel();
    await live.finished;
    return (await state.store.getRun(runId)) ?? record;
  }
  if (finishedStatuses.includes(record.status)) throw conflict(`Run ${runId} is already ${record.status}.`);
  if (record.status === "running" && !isInterrupted(record)) {
    await controlsOf(state).cancel(runId);
    return record;
  }
  if (record.status === "queued") await controlsOf(state).cancel(runId);
  return state.store.updateRun(runId, { status: "cancelled", finishedAt: new Date().toISOString() });
}

/** 200 with the stopped run, or 202 when another process was asked to stop it. */
async function cancel({ response, state, caller, params }: RequestContext): Promise<void> {
  const record = await cancelRun(state, caller, params.id as string);
  sendJson(response, finishedStatuses.includes(record.status) ? 200 : 202, runJson(record));
}

/** Records decisions on a waiting run's tool calls (all, or the one named), then continues it here. */
async function decide(context: RequestContext, approve: boolean): Promise<void> {
  const { request, response, state, caller, params } = context;
  const body = await readJsonBody(request, decisionSchema);
  const runId = params.id as string;
  const record = await visibleRun(state, caller, runId);
  if (record.status !== "awaiting_approval" || state.live.get(runId))
    throw conflict(`Run ${runId} is ${record.status}, not waiting for approval.`);
  const open = [...deriveRunState((await state.store.listItems(runId)).map((stored) => stored.item)).openApprovals.values()];
  const chosen = body.call_id ? open.filter((request) => request.call_id === body.call_id) : open;
  if (chosen.length === 0) {
    throw body.call_id
      ? badRequest(`Run ${runId} has no approval request for call ${body.call_id}.`, "call_id")
      : conflict(`Run ${runId} has no tool calls waiting for approval.`);
  }
  const responses: ApprovalResponseItem[] = chosen.map((approval) => ({
    type: "approval_response",
    id: newId("aps"),
    call_id: approval.call_id,
    approve,
    ...(body.reason ? { reason: body.reason } : {}),
  }));
  // Queued in the same write: from now on the run reads as continuing, not as still waiting.
  await state.store.appendItems(runId, record.usage.steps, responses, { ...record, status: "queued", updatedAt: new Date().toISOString() });
  // Other calls may still wait; the loop parks the run again until they are decided.
  const live = await relaunchRun(state, caller, runId);
  sendJson(response, 200, {
    ...runJson((await state.store.getRun(live.id)) ?? record),
    decided: chosen.map((approval) => approval.call_id),
  });
}

/**
 * Continues a stored run from its last checkpoint in this server: a run whose process died
 * (interrupted), one left paused by a shutdown, or one that failed. 409 when something advances
 * it already or it waits for approval (approve or deny instead).
 */
async function resume({ response, state, caller, params }: RequestContext): Promise<void> {
  const record = await visibleRun(state, caller, params.id as string);
  if (state.live.get(record.id) || record.status === "queued" || (record.status === "running" && !isInterrupted(record)))
    throw conflict(`Run ${record.id} is ${record.status} and being advanced; there is nothing to resume.`, "run_not_resumable");
  if (record.status === "awaiting_approval")
    throw conflict(`Run ${record.id} waits for approval: approve or deny its tool calls to continue it.`, "run_not_resumable");
  const live = await relaunchRun(state, caller, record.id);
  sendJson(response, 200, runJson((await state.store.getRun(live.id)) ?? record));
}

async function steer({ request, response, state, caller, params }: RequestContext): Promise<void> {
  const body = await readJsonBody(request, steerSchema);
  const record = await visibleRun(state, caller, params.id as string);
  if (record.spec.strategy)
    throw conflict(
      `Run ${record.id} is a ${record.spec.strategy.name} strategy: steer one of its child runs instead.`,
      "strategy_not_steerable",
    );
  const live = state.live.get(record.id);
  const options = { interrupt: body.interrupt === true };
  if (live) live.handle.steer(body.message, options);
  // Queued and other processes' runs read the durable request when they start or at their next poll.
  else if (isAdvancingElsewhere(record)) await controlsOf(state).steer(record.id, body.message, options);
  else throw conflict(`Run ${record.id} is ${record.status} and nobody advances it, so there is nothing to steer.`, "run_not_live");
  sendJson(response, 202, { id: record.id, object: "run.steer", accepted: true });
}

function controlsOf(state: ServerState): RunControls {
  if (!state.controls)
    throw conflict("This server's store is in memory, so no other process can take steer or cancel requests.", "controls_unavailable");
  return state.controls;
}

const decided = { 200: { description: "The run, continuing here, with the call ids decided", json: decidedRunSchema } };

export const runActionRoutes: Route[] = [
  {
    method: "POST",
    path: "/v1/runs/:id/cancel",
    handle: cancel,
    doc: {
      summary: "Stops a run (its tools too)",
      responses: {
        200: { description: "The stopped run", json: runSchema },
        202: { description: "The run, whose process was asked to stop it", json: runSchema },
      },
    },
  },
  {
    method: "POST",
    path: "/v1/runs/:id/approve",
    handle: (context) => decide(context, true),
    doc: { summary: "Approves a waiting run's tool calls (all, or `call_id`)", body: decisionSchema, responses: decided },
  },
  {
    method: "POST",
    path: "/v1/runs/:id/deny",
    handle: (context) => decide(context, false),
    doc: { summary: "Denies a waiting run's tool calls (all, or `call_id`)", body: decisionSchema, responses: decided },
  },
  {
    method: "POST",
    path: "/v1/runs/:id/resume",
    handle: resume,
    doc: {
      summary: "Continues an interrupted, paused or failed run from its last checkpoint, in this server",
      responses: { 200: { description: "The run, continuing here", json: runSchema } },
    },
  },
  {
    method: "POST",
    path: "/v1/runs/:id/steer",
    handle: steer,
    doc: {
      summary: "A user message the run reads at its next step",
      body: steerSchema,
      responses: { 202: { description: "Accepted", json: steerAcceptedSchema } },
    },
  },
];
