import type { Budget } from "../core/budget.js";
import type { ImagePart } from "../core/items.js";
import type { Effort } from "../core/effort.js";
import type { RunRecord } from "../core/run.js";
import { createQueuedRun } from "../queue/create-queued-run.js";
import type { Executor } from "../queue/executor.js";
import type { StrategyRequest } from "../strategies/stored-strategy.js";
import { startRun, resumeRun } from "../library/start-run.js";
import type { RunHandle } from "../library/run-handle.js";
import { deliverControls } from "../queue/deliver-controls.js";
import { conflict, HttpError } from "./http-error.js";
import type { LiveRun } from "./live-runs.js";
import type { Caller, ServerState } from "./server-state.js";
import { TenantRunStore } from "../store/tenant-run-store.js";
import type { ClientSettings } from "../library/client-settings.js";

export type RunRequest = {
  input: string;
  /** Images that go with the input (data or http(s) URLs): the model sees them, and data URLs are saved in the workspace. */
  images?: ImagePart[];
  /** Undefined only for a follow-up, which keeps its conversation's model. */
  model?: string;
  effort?: Effort;
  instructions?: string;
  metadata?: Record<string, string>;
  budget?: Budget;
  /** Whether someone watches deltas; false makes each model turn one plain call. */
  stream: boolean;
  strategy?: StrategyRequest;
  /** A follow-up: the run (any turn of a conversation the caller may see) whose conversation this run continues. */
  continueFrom?: string;
  /** The client's own tools and request settings (see client-tools.ts, request-fields.ts). */
  client?: ClientSettings;
  /** false: Ponder's own tools are not offered (`ponder.builtin_tools`); the client's still are. */
  builtinTools?: boolean;
  /** Built-in tool names (default: the server's); single runs only. */
  tools?: string[];
  /** Paths of files to copy into the workspace; single runs only. */
  files?: string[];
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
    ...(request.model ? { model: request.model } : {}),
    stream: request.stream,
    ...(request.images && request.images.length > 0 ? { inputImages: request.images } : {}),
    ...(request.effort ? { effort: request.effort } : {}),
    ...(request.instructions ? { instructions: request.instructions } : {}),
    ...(request.metadata ? { metadata: request.metadata } : {}),
    ...(request.budget ? { budget: request.budget } : {}),
    ...(request.continueFrom ? { continueFrom: request.continueFrom } : {}),
    ...request.client,
    ...(request.builtinTools === false ? { tools: [] } : request.tools ? { tools: request.tools } : {}),
    ...(request.files && request.files.length > 0 ? { files: request.files } : {}),
  });
  return hosted(state, handle, caller, false);
}

/**
 * Stores a run for a request as `queued`, owned by the caller's tenant, and hands it to an
 * executor: the workers' queue when there is one, else (a strategy) this server's inline executor. The model is resolved now, so a wrong
 * model fails the request rather than a worker later.
 */
export async function queueRun(state: ServerState, caller: Caller, request: RunRequest): Promise<RunRecord> {
  refuseWhileClosing(state);
  const executor = executorOf(state);
  const record = await createQueuedRun(new TenantRunStore(state.store, caller.tenant), state.settings, request.input, {
    model: request.model,
    ...(request.effort ? { effort: request.effort } : {}),
    ...(request.instructions ? { instructions: request.instructions } : {}),
    ...(request.metadata ? { metadata: request.metadata } : {}),
    ...(request.budget ? { budget: request.budget } : {}),
    ...(request.strategy ? { strategy: request.strategy } : {}),
    ...(request.images && request.images.length > 0 ? { images: request.images } : {}),
  });
  await executor.submit(record.id);
  return record;
}

/** Continues a stored run in this server (after an approval, or one stopped by a shutdown). */
export async function relaunchRun(state: ServerState, caller: Caller, runId: string): Promise<LiveRun> {
  refuseWhileClosing(state);
  const handle = await resumeRun(runId, environmentOf(state, caller));
  return hosted(state, handle, caller);
}

function environmentOf(state: ServerState, caller: Caller) {
  return {
    store: new TenantRunStore(state.store, caller.tenant),
    home: state.home,
    env: state.env,
    cwd: state.cwd,
    settingsCache: state.runSettings,
    ...(state.configPath ? { configPath: state.configPath } : {}),
  };
}

function executorOf(state: ServerState): Executor {
  const executor = state.workers ?? state.inline;
  if (!executor)
    throw conflict(
      "This server's store is in memory, so it can only run single runs; start it with a database to run strategies.",
      "strategies_unavailable",
    );
  return executor;
}

function refuseWhileClosing(state: ServerState): void {
  if (state.closing)
    throw new HttpError(503, "The server is shutting down; try again on another instance.", "server_error", { code: "shutting_down" });
}

/**
 * Registers a run this server advances, and lets `ponder steer` / `ponder cancel` from another
 * process reach it through the durable requests, as they reach runs advanced by workers.
 */
function hosted(state: ServerState, handle: RunHandle, caller: Caller, resumed = true): LiveRun {
  const live = state.live.add(handle, caller.tenant);
  if (state.controls) {
    const delivering = deliverControls(handle.id, state.controls, 500, handle, { pollNow: resumed });
    void live.finished.then(() => delivering.stop());
  }
  return live;
}
