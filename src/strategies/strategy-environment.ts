import { setMaxListeners } from "node:events";
import { modelFromSettings } from "../config/model-from-settings.js";
import { resolveSettings, type Environment, type ResolvedSettings } from "../config/resolve-settings.js";
import type { Effort } from "../core/effort.js";
import type { ModelClient } from "../models/model-client.js";
import { leaseStore } from "../store/store-lease.js";
import type { RunStore } from "../store/run-store.js";

/** What every strategy sets up before its first child run. */
export type StrategyEnvironment = {
  settings: ResolvedSettings;
  solver: ModelClient;
  /** The judge or critic: the solver unless another model is named. */
  reviewer: ModelClient;
  store: RunStore;
  /** Every child run listens to this one signal; it follows the caller's. */
  controller: AbortController;
  /** Stops following the caller's signal and closes the store if the strategy opened it. */
  release(): Promise<void>;
};

type Base = { effort?: Effort; home?: string; configPath?: string; unsafeNoSandbox?: boolean; env?: Environment; cwd?: string };

export async function openStrategyEnvironment(options: {
  solver?: string | ModelClient;
  reviewer?: string | ModelClient;
  store?: RunStore;
  signal?: AbortSignal;
  base: Base;
}): Promise<StrategyEnvironment> {
  const { base, signal } = options;
  const settings = resolveSettings(
    { model: typeof options.solver === "string" ? options.solver : undefined, effort: base.effort, home: base.home, configPath: base.configPath, unsafeNoSandbox: base.unsafeNoSandbox },
    base.env ?? process.env,
    base.cwd ?? process.cwd(),
  );
  const solver = await modelFromSettings(options.solver, settings);
  const reviewer = options.reviewer === undefined ? solver : await modelFromSettings(options.reviewer, settings);
  const { store, release } = leaseStore(options.store, settings);
  const controller = new AbortController();
  // Hundreds of children may listen to this one signal: expected, not a leak.
  setMaxListeners(0, controller.signal);
  const onAbort = () => controller.abort(signal?.reason);
  if (signal?.aborted) controller.abort(signal.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  return {
    settings,
    solver,
    reviewer,
    store,
    controller,
    release: async () => {
      signal?.removeEventListener("abort", onAbort);
      await release();
    },
  };
}
