import { RunNotFoundError, SuspendedError } from "../core/errors.js";
import type { RunRecord } from "../core/run.js";
import type { Environment } from "../config/resolve-settings.js";
import type { SettingsCache } from "../config/settings-cache.js";
import { isInterrupted, leaseRemainingMs } from "../library/run-liveness.js";
import { resumeRun } from "../library/start-run.js";
import type { RunStore } from "../store/run-store.js";
import { runStoredStrategy } from "../strategies/stored-strategy.js";
import { deliverControls } from "./deliver-controls.js";
import { toRequest, type RunControls } from "./run-controls.js";

/** Where and how this process advances runs: the shared store and its controls, and the settings that pick providers. */
export type AdvanceEnvironment = {
  store: RunStore;
  controls: RunControls;
  home?: string;
  configPath?: string;
  env?: Environment;
  cwd?: string;
  /** Settings shared by the runs this process advances (a worker's), instead of resolved for each run. */
  settingsCache?: SettingsCache;
  /** How often steer and cancel requests are looked for while a run advances (default 500 ms). */
  controlPollMs?: number;
  /** The owner lease of runs advanced here (see RunRecord.owner); default 60 s. */
  leaseMs?: number;
};

/**
 * How advancing ended: the run stopped (answered, failed, awaiting approval, cancelled); it
 * gave way at a step boundary because this process is shutting down; or another live process
 * is advancing it.
 */
export type AdvanceOutcome = { kind: "stopped"; record: RunRecord } | { kind: "yielded" } | { kind: "busy"; leaseRemainingMs?: number };

/**
 * Advances one stored run here until it stops, from its last checkpoint. Steer and cancel
 * requests made from any process reach it through the controls. When `draining()` turns true,
 * the run stops at its next step boundary (the current model turn or tool batch finishes and is
 * saved first) and is left `queued` for another process.
 */
export async function advanceStoredRun(runId: string, environment: AdvanceEnvironment, draining: () => boolean): Promise<AdvanceOutcome> {
  const { store, controls } = environment;
  // Requests left for this run (by a process that handed it over, or sent while it was queued)
  // are taken with it, so its first step already reads them: one round trip for all three.
  const opened = await store.readRunToAdvance(runId);
  if (!opened) throw new RunNotFoundError(runId);
  const before = opened.record;
  if (before.status === "completed" || before.status === "cancelled") return { kind: "stopped", record: before };
  if (before.status === "running" && !isInterrupted(before)) {
    const remaining = leaseRemainingMs(before);
    return remaining === undefined ? { kind: "busy" } : { kind: "busy", leaseRemainingMs: remaining };
  }
  // A running run's requests were left for its owner; it is dead, so they are this process's now.
  const pending = before.status === "running" ? await controls.take(runId) : opened.controls.map(toRequest);
  if (pending.some((request) => request.kind === "cancel")) {
    return { kind: "stopped", record: await store.updateRun(runId, { status: "cancelled", finishedAt: new Date().toISOString() }) };
  }
  if (before.spec.strategy) return advanceStrategy(before, environment, draining);
  const handle = await resumeRun(runId, {
    stored: before,
    storedItems: opened.items,
    steering: pending.flatMap((request) => (request.kind === "steer" ? [request.text] : [])),
    store,
    ...(environment.home ? { home: environment.home } : {}),
    ...(environment.configPath ? { configPath: environment.configPath } : {}),
    ...(environment.env ? { env: environment.env } : {}),
    ...(environment.cwd ? { cwd: environment.cwd } : {}),
    ...(environment.settingsCache ? { settingsCache: environment.settingsCache } : {}),
    shouldYield: draining,
    ...(environment.leaseMs === undefined ? {} : { leaseMs: environment.leaseMs }),
  });
  // The requests were taken just now: the next look is at the first interval.
  const delivering = deliverControls(runId, controls, environment.controlPollMs ?? 500, handle, { pollNow: false });
  let record: RunRecord;
  try {
    record = await handle.result;
  } finally {
    await delivering.stop();
  }
  if (record.status !== "queued") return { kind: "stopped", record };
  // Messages taken from the controls but not yet read by the model go back, for the next process.
  for (const text of handle.takeSteering()) await controls.steer(runId, text);
  return { kind: "yielded" };
}

/**
 * Advances a stored strategy run (best-of-N, research) here until it ends. Cancel requests
 * reach it through the controls; steering has no single loop to go to. A strategy has no step
 * boundary: when this process drains, the strategy is stopped and the run queued again, to
 * start over in the next process.
 */
async function advanceStrategy(record: RunRecord, environment: AdvanceEnvironment, draining: () => boolean): Promise<AdvanceOutcome> {
  const controller = new AbortController();
  let yielded = false;
  const delivering = deliverControls(record.id, environment.controls, environment.controlPollMs ?? 500, {
    cancel: () => controller.abort(),
    steer: () => undefined,
  });
  const drainWatch = setInterval(() => {
    if (!draining()) return;
    yielded = true;
    // The strategy records itself queued again (see ParentRun.finish), never cancelled.
    controller.abort(new SuspendedError());
  }, 100);
  let final: RunRecord;
  try {
    final = await runStoredStrategy(record, {
      store: environment.store,
      signal: controller.signal,
      ...(environment.home ? { home: environment.home } : {}),
      ...(environment.configPath ? { configPath: environment.configPath } : {}),
      ...(environment.env ? { env: environment.env } : {}),
      ...(environment.cwd ? { cwd: environment.cwd } : {}),
      ...(environment.leaseMs === undefined ? {} : { leaseMs: environment.leaseMs }),
    });
  } finally {
    clearInterval(drainWatch);
    await delivering.stop();
  }
  if (!yielded) return { kind: "stopped", record: final };
  // One that failed on its own as the drain began is queued again too: it starts over elsewhere.
  if (final.status !== "queued")
    await environment.store.updateRun(record.id, {
      status: "queued",
      finishedAt: undefined,
      result: undefined,
      error: undefined,
      owner: undefined,
    });
  return { kind: "yielded" };
}
