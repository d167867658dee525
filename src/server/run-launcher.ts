import type { Budget } from "../core/budget.js";
import type { Effort } from "../core/effort.js";
import { startRun, resumeRun } from "../library/start-run.js";
import { HttpError } from "./http-error.js";
import type { LiveRun } from "./live-runs.js";
import type { Caller, ServerState } from "./server-state.js";
import { TenantRunStore } from "./tenant-run-store.js";

export type RunRequest = {
  input: string;
  model: string;
  effort?: Effort;
  instructions?: string;
  metadata?: Record<string, string>;
  budget?: Budget;
  /** Whether someone watches deltas; false makes each model turn one plain call. */
  stream: boolean;
};

/**
 * Starts a run for a request, owned by the caller's tenant, with the server's own provider
 * configuration. Without an approver, a call the policy marks `ask` parks the run in
 * `awaiting_approval` until someone approves it over the API.
 */
export async function launchRun(state: ServerState, caller: Caller, request: RunRequest): Promise<LiveRun> {
  refuseWhileClosing(state);
  const handle = await startRun(request.input, {
    ...environmentOf(state, caller),
    model: request.model,
    stream: request.stream,
    ...(request.effort ? { effort: request.effort } : {}),
    ...(request.instructions ? { instructions: request.instructions } : {}),
    ...(request.metadata ? { metadata: request.metadata } : {}),
    ...(request.budget ? { budget: request.budget } : {}),
  });
  return state.live.add(handle, caller.tenant);
}

/** Continues a stored run in this server (after an approval, or one stopped by a shutdown). */
export async function relaunchRun(state: ServerState, caller: Caller, runId: string): Promise<LiveRun> {
  refuseWhileClosing(state);
  const handle = await resumeRun(runId, environmentOf(state, caller));
  return state.live.add(handle, caller.tenant);
}

function environmentOf(state: ServerState, caller: Caller) {
  return {
    store: new TenantRunStore(state.store, caller.tenant),
    home: state.home,
    env: state.env,
    cwd: state.cwd,
    ...(state.configPath ? { configPath: state.configPath } : {}),
  };
}

function refuseWhileClosing(state: ServerState): void {
  if (state.closing) throw new HttpError(503, "The server is shutting down; try again on another instance.", "server_error", { code: "shutting_down" });
}
