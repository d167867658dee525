// An eval: (items × configs × epochs) samples, each one a run under the eval's parent run, a
// few at a time. Each finished sample is saved the moment it finishes, keyed by item, config
// and epoch, so `resume` skips every sample that already finished and redoes only the rest.
import { rm } from "node:fs/promises";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { setMaxListeners } from "node:events";
import { emptyUsage } from "../core/budget.js";
import { ConfigError } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { runSchemaVersion, type RunRecord } from "../core/run.js";
import { runWorkspaceOf } from "../config/ponder-home.js";
import { resolveSettings } from "../config/resolve-settings.js";
import type { StartRunOptions } from "../library/start-run.js";
import type { RunStore } from "../store/run-store.js";
import { leaseStore } from "../store/store-lease.js";
import { assertCanarySafe, modelsCollectingTrainingData } from "./contamination.js";
import { loadDataset, type Dataset } from "./dataset.js";
import { sampleKeyOf, type EvalConfig } from "./eval-config.js";
import type { Effort } from "../core/effort.js";
import { appendSample, evalDirectory, listManifests, readManifest, readSamples, writeManifest, type EvalManifest } from "./eval-files.js";
import { summarise, type EvalSummary } from "./metrics/summary.js";
import type { SampleRecord } from "./outcome.js";
import { evalModels } from "./eval-models.js";
import { runSample } from "./sample-runner.js";
import { sandboxProblem } from "./sandbox-health.js";
import { scorerFromSpec } from "./scorers/scorer-spec.js";
import type { Scorer } from "./scorers/scorer.js";
import { logged, logger } from "../logging/logger.js";

const log = logger("evals");

export type EvalOptions = Pick<
  StartRunOptions,
  "env" | "configPath" | "cwd" | "tools" | "policy" | "sandbox" | "unsafeNoSandbox" | "budget" | "instructions"
> & {
  datasetPath: string;
  configs: EvalConfig[];
  epochs?: number;
  /** A scorer name (`--scorer`) or a Scorer object (a custom TS function). Default: normalised. */
  scorer?: string | Scorer;
  rubric?: string;
  /** Samples at once; default: all of them (their model calls still wait for the provider's rate-limit gate). */
  concurrency?: number;
  maxInfraRetries?: number;
  /** true: continue the latest eval with the same dataset, grid and scorer; a string: that eval. */
  resume?: boolean | string;
  home?: string;
  store?: RunStore;
  signal?: AbortSignal;
  onSample?: (sample: SampleRecord, done: number, total: number) => void;
};

export type EvalResult = {
  manifest: EvalManifest;
  dataset: Dataset;
  samples: SampleRecord[];
  summary: EvalSummary;
  /** Samples taken from an earlier, interrupted eval. */ reused: number;
};

export async function runEval(options: EvalOptions): Promise<EvalResult> {
  const { epochs = 1, maxInfraRetries = 2 } = options;
  if (options.configs.length === 0) throw new ConfigError("The eval has no configs.", "Give at least one --model.");
  const settings = resolveSettings(
    { home: options.home, configPath: options.configPath },
    options.env ?? process.env,
    options.cwd ?? process.cwd(),
  );
  const home = settings.home;
  const dataset = await loadDataset(options.datasetPath);
  assertCanarySafe(
    dataset,
    options.configs.map((config) => config.model),
    modelsCollectingTrainingData(options.env ?? process.env),
  );
  const scorerName = typeof options.scorer === "string" ? options.scorer : (options.scorer?.name ?? "normalised");
  const fingerprint = createHash("sha256")
    .update(JSON.stringify([dataset.hash, options.configs.map((config) => config.id), epochs, scorerName]))
    .digest("hex")
    .slice(0, 24);
  const { store, release } = leaseStore(options.store, settings);
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const onAbort = () => controller.abort();
  if (options.signal?.aborted) controller.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const manifest = options.resume
      ? await resumable(home, options.resume, fingerprint)
      : await createEval(store, home, dataset, options, { epochs, scorerName, fingerprint, maxInfraRetries });
    const saved = options.resume
      ? (await readSamples(home, manifest.id)).filter(
          (sample) => !(sample.outcome.status === "error" && sample.outcome.kind === "cancelled"),
        )
      : [];
    if (options.resume)
      await store
        .updateRun(manifest.id, { status: "running", updatedAt: new Date().toISOString() })
        .catch(logged(log, "warn", "could not mark the resumed eval running"));
    const scorer =
      typeof options.scorer === "object"
        ? options.scorer
        : await scorerFromSpec(scorerName, {
            environment: { home, env: options.env, configPath: options.configPath, store },
            sandbox: { ...settings.sandbox, ...options.sandbox },
            workspaceRoot: join(evalDirectory(home, manifest.id), "scoring"),
            parentId: manifest.id,
            ...(options.rubric ? { rubric: options.rubric } : {}),
          }).catch(async (error: unknown) => {
            // An eval that cannot start leaves nothing behind: no parent run, no files.
            if (!options.resume) {
              await store.deleteRun(manifest.id).catch(logged(log, "warn", "could not remove the eval that did not start"));
              await rm(evalDirectory(home, manifest.id), { recursive: true, force: true });
            }
            throw error;
          });
    const done = new Set(saved.map((sample) => sample.key));
    const work = Array.from({ length: manifest.epochs }, (_, epoch) =>
      dataset.items.flatMap((item) => manifest.configs.map((config) => ({ item, config, epoch, key: sampleKeyOf(item, config, epoch) }))),
    )
      .flat()
      .filter(({ key }) => !done.has(key));
    const total = saved.length + work.length;
    const samples = [...saved];
    const sandbox = { ...settings.sandbox, ...options.sandbox, ...(options.unsafeNoSandbox ? { unsafeNoSandbox: true } : {}) };
    const checkSandbox = (runId: string) => sandboxProblem(runWorkspaceOf(home, runId), sandbox, controller.signal);
    const environment = {
      store,
      scorer,
      checkSandbox,
      modelOf: evalModels({ home, configPath: options.configPath }, options.env ?? process.env, options.cwd ?? process.cwd()),
      evalId: manifest.id,
      maxInfraRetries: manifest.maxInfraRetries,
      signal: controller.signal,
      home,
      env: options.env,
      configPath: options.configPath,
      cwd: options.cwd,
      tools: options.tools,
      policy: options.policy,
      sandbox: options.sandbox,
      unsafeNoSandbox: options.unsafeNoSandbox,
      budget: options.budget,
      instructions: options.instructions,
    };
    let next = 0;
    const worker = async () => {
      while (next < work.length && !controller.signal.aborted) {
        const { item, config, epoch, key } = work[next++] as (typeof work)[number];
        const sample = await runSample(item, config, epoch, key, environment);
        // A sample cut short by a stop is not saved: resume runs it again from the start.
        if (sample.outcome.status === "error" && sample.outcome.kind === "cancelled") continue;
        await appendSample(home, manifest.id, sample);
        samples.push(sample);
        options.onSample?.(sample, samples.length, total);
      }
    };
    // Default: every sample at once; the provider's gate bounds its calls and adapts to its 429s.
    const concurrency = options.concurrency ?? work.length;
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, work.length)) }, worker));
    const summary = summarise(samples, dataset.items, manifest.configs);
    const finished = samples.length === total;
    const now = new Date().toISOString();
    if (finished) await writeManifest(home, { ...manifest, finishedAt: now });
    await store.updateRun(manifest.id, {
      status: finished ? "completed" : "cancelled",
      updatedAt: now,
      finishedAt: now,
      ...(finished ? { result: { answer: summaryLine(summary), stopReason: "answered" } } : {}),
    });
    return { manifest: finished ? { ...manifest, finishedAt: now } : manifest, dataset, samples, summary, reused: saved.length };
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await release();
  }
}

async function createEval(
  store: RunStore,
  home: string,
  dataset: Dataset,
  options: EvalOptions,
  fields: { epochs: number; scorerName: string; fingerprint: string; maxInfraRetries: number },
): Promise<EvalManifest> {
  const now = new Date().toISOString();
  // The eval's own run: every sample's run has it as parent, so `ponder runs` shows the tree.
  const record: RunRecord = {
    schemaVersion: runSchemaVersion,
    id: newId("run"),
    status: "running",
    createdAt: now,
    updatedAt: now,
    startedAt: now,
    usage: emptyUsage(),
    spec: {
      model: options.configs.map((config) => config.model).join(","),
      input: `eval ${dataset.path}`,
      effort: fixedEffortOf(options.configs[0]?.effort),
      budget: {},
      tools: [],
      strategy: {
        name: "eval",
        settings: { dataset: dataset.path, epochs: fields.epochs, configs: options.configs.length, scorer: fields.scorerName },
      },
    },
  };
  await store.createRun(record);
  const manifest: EvalManifest = {
    id: record.id,
    createdAt: now,
    datasetPath: dataset.path,
    datasetHash: dataset.hash,
    configs: options.configs,
    epochs: fields.epochs,
    scorer: fields.scorerName,
    maxInfraRetries: fields.maxInfraRetries,
    fingerprint: fields.fingerprint,
  };
  await writeManifest(home, manifest);
  return manifest;
}

async function resumable(home: string, resume: true | string, fingerprint: string): Promise<EvalManifest> {
  if (typeof resume === "string") {
    const manifest = await readManifest(home, resume);
    if (manifest.fingerprint !== fingerprint)
      throw new ConfigError(
        `Eval ${resume} was run with another dataset, grid or scorer.`,
        "Resume with the same dataset file and flags, or start a new eval without --resume.",
      );
    return manifest;
  }
  const match = (await listManifests(home)).find((manifest) => manifest.fingerprint === fingerprint);
  if (!match) throw new ConfigError("No earlier eval with this dataset, grid and scorer to resume.", "Run it without --resume first.");
  return match;
}

function summaryLine(summary: EvalSummary): string {
  return summary.configs
    .map((config) => `${config.id}: ${(config.accuracy * 100).toFixed(1)}% (${config.passed}/${config.scored}, errors ${config.errors})`)
    .join("\n");
}

/** The parent run's effort field needs a fixed effort; `auto` configs are recorded as medium there. */
function fixedEffortOf(effort: EvalConfig["effort"] | undefined): Effort {
  return effort === undefined || effort === "auto" ? "medium" : effort;
}
