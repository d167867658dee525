// A strategy stored as a queued run (made by the server's runs API or `ponder submit`) and
// advanced later by whichever process takes it: the request becomes the run's spec.strategy,
// and the spec alone is enough to start the strategy as that run.
import type { Environment } from "../config/resolve-settings.js";
import { definedFields } from "../core/defined-fields.js";
import { PonderError } from "../core/errors.js";
import type { RunRecord, RunSpec } from "../core/run.js";
import type { RunStore } from "../store/run-store.js";
import { TenantRunStore } from "../store/tenant-run-store.js";
import { bestOf } from "./best-of.js";
import { research } from "./research/research.js";

/** The strategies a stored run can name; judging by rubric and verifying need files, so they stay with `ponder ask`. */
export type StrategyRequest =
  | {
      type: "best_of_n";
      samples?: number;
      select?: "vote" | "judge" | "synthesize";
      untilConfident?: number;
      maxSamples?: number;
      concurrency?: number;
    }
  | { type: "research"; breadth?: number; depth?: number };

export type StoredStrategyEnvironment = {
  store: RunStore;
  home?: string;
  configPath?: string;
  env?: Environment;
  cwd?: string;
  signal?: AbortSignal;
  /** The owner lease of the strategy and its children (see RunRecord.owner). */
  leaseMs?: number;
};

/** The spec.strategy a request is stored as; the same names the strategies give their own parent runs. */
export function strategySpecOf(request: StrategyRequest): NonNullable<RunSpec["strategy"]> {
  if (request.type === "research") return { name: "research", settings: definedFields({ breadth: request.breadth, depth: request.depth }) };
  const common = definedFields({ select: request.select ?? "vote", concurrency: request.concurrency });
  if (request.untilConfident !== undefined)
    return {
      name: "adaptive",
      settings: { ...common, ...definedFields({ untilConfident: request.untilConfident, maxSamples: request.maxSamples }) },
    };
  return { name: "best-of-n", settings: { ...common, samples: request.samples ?? 8 } };
}

/**
 * Runs a stored strategy run as itself (its id, tenant and budget) until the strategy ends, and
 * returns its final record. Children belong to the parent's tenant. A strategy has no step
 * boundary to stop at: one started again after its process died starts over, the earlier
 * attempt's children staying in the store (a best-of-N keeps the samples that had answered).
 */
export async function runStoredStrategy(record: RunRecord, environment: StoredStrategyEnvironment): Promise<RunRecord> {
  const strategy = record.spec.strategy;
  if (!strategy) throw new PonderError("config_error", `Run ${record.id} is not a strategy run.`);
  const store = record.tenant === undefined ? environment.store : new TenantRunStore(environment.store, record.tenant);
  const input =
    typeof record.spec.input === "string"
      ? record.spec.input
      : record.spec.input.flatMap((part) => ("text" in part ? [part.text] : [])).join("\n");
  const base = {
    model: record.spec.model,
    effort: record.spec.effort,
    store,
    runId: record.id,
    ...(environment.home ? { home: environment.home } : {}),
    ...(environment.configPath ? { configPath: environment.configPath } : {}),
    ...(environment.env ? { env: environment.env } : {}),
    ...(environment.cwd ? { cwd: environment.cwd } : {}),
    ...(environment.signal ? { signal: environment.signal } : {}),
    ...(environment.leaseMs === undefined ? {} : { leaseMs: environment.leaseMs }),
    totalBudget: record.spec.budget,
  };
  const settings = strategy.settings;
  try {
    if (strategy.name === "research") {
      await research(input, {
        ...base,
        ...definedFields({ breadth: numberSetting(settings.breadth), depth: numberSetting(settings.depth) }),
      });
    } else if (strategy.name === "best-of-n" || strategy.name === "adaptive") {
      const select = settings.select;
      if (select !== "vote" && select !== "judge" && select !== "synthesize")
        throw new PonderError("config_error", `Run ${record.id}: select ${String(select)} cannot run from a stored run.`);
      await bestOf(input, {
        ...base,
        select,
        ...definedFields({
          samples: numberSetting(settings.samples),
          untilConfident: numberSetting(settings.untilConfident),
          maxSamples: numberSetting(settings.maxSamples),
          concurrency: numberSetting(settings.concurrency),
        }),
      });
    } else {
      throw new PonderError("config_error", `Run ${record.id} names the strategy ${strategy.name}, which cannot run from a stored run.`);
    }
  } catch (error) {
    // The strategy records its own failure on the parent run before it throws; that record is the outcome.
    const stored = await environment.store.getRun(record.id);
    if (stored && (stored.status === "running" || stored.status === "queued")) {
      // A configuration it cannot start with (research with nothing to search) will not change by
      // trying again: the run fails saying so, rather than staying queued with its client waiting.
      if (!(error instanceof PonderError && error.code === "config_error")) throw error;
      const message = error.hint ? `${error.message} ${error.hint}` : error.message;
      await environment.store.updateRun(record.id, {
        status: "failed",
        error: { code: error.code, message },
        finishedAt: new Date().toISOString(),
      });
    } else if (!stored) {
      throw error;
    }
  }
  const final = await environment.store.getRun(record.id);
  if (!final) throw new PonderError("internal_error", `Run ${record.id} disappeared from the store.`);
  return final;
}

function numberSetting(value: string | number | boolean | undefined): number | undefined {
  return typeof value === "number" ? value : undefined;
}
