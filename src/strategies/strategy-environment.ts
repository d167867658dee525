import { setMaxListeners } from "node:events";
import { modelFromSettings } from "../config/model-from-settings.js";
import { resolveSettings, type Environment, type ResolvedSettings } from "../config/resolve-settings.js";
import type { Budget } from "../core/budget.js";
import type { Effort } from "../core/effort.js";
import type { ModelClient } from "../models/model-client.js";
import { costOf } from "../models/prices.js";
import { leaseStore } from "../store/store-lease.js";
import type { RunStore } from "../store/run-store.js";
import { RateLimitGate, SharedModelClient } from "./shared-model-client.js";
import { TotalBudgetLedger } from "./total-budget.js";

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
    {
      model: typeof options.solver === "string" ? options.solver : undefined,
      effort: base.effort,
      home: base.home,
      configPath: base.configPath,
      unsafeNoSandbox: base.unsafeNoSandbox,
    },
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

/**
 * The solver and the reviewer as the strategy's children call them: one rate-limit gate per
 * provider (shared when both use the same one), and one ledger over every child when the total
 * budget limits tokens or cost.
 */
export function sharedClients(
  environment: StrategyEnvironment,
  totalBudget: Budget,
): { solver: SharedModelClient; reviewer: SharedModelClient; ledger: TotalBudgetLedger | undefined } {
  const limited = totalBudget.maxTotalTokens !== undefined || totalBudget.maxCostUsd !== undefined;
  const ledger = limited
    ? new TotalBudgetLedger({ maxTotalTokens: totalBudget.maxTotalTokens, maxCostUsd: totalBudget.maxCostUsd })
    : undefined;
  const gates = new Map<string, RateLimitGate>();
  const share = (client: ModelClient) => {
    const gate = gates.get(client.provider) ?? new RateLimitGate();
    gates.set(client.provider, gate);
    return new SharedModelClient(client, {
      gate,
      ledger,
      costOf: (usage) => costOf(client.id, usage, environment.settings.prices).costUsd,
    });
  };
  const solver = share(environment.solver);
  return { solver, reviewer: environment.reviewer === environment.solver ? solver : share(environment.reviewer), ledger };
}
