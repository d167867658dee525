// One sample: the item asked of one config as a fresh run (or a best-of-N strategy run), its
// answer scored. A run that failed for provider or sandbox reasons, or whose tools reported
// infra_error, is infrastructure: it is tried again in a fresh run (fresh workspace and
// sandbox) up to `maxInfraRetries` times, and if it never works the sample is error(infra),
// never a fail.
import { PonderError, errorMessage } from "../core/errors.js";
import type { RunRecord } from "../core/run.js";
import type { ModelClient } from "../models/model-client.js";
import { startRun, type StartRunOptions } from "../library/start-run.js";
import type { RunStore } from "../store/run-store.js";
import { extractFinalAnswer, normaliseAnswer } from "../strategies/answer-extraction.js";
import { bestOf } from "../strategies/best-of.js";
import { askAuto } from "../strategies/router/ask-auto.js";
import { recordEvaluationResult, telemetryOfProcess } from "../telemetry/index.js";
import type { DatasetItem } from "./dataset.js";
import type { EvalConfig } from "./eval-config.js";
import type { SampleOutcome, SampleRecord } from "./outcome.js";
import { pythonCallsFailed } from "./sandbox-health.js";
import { ScorerInfraError, type Scorer } from "./scorers/scorer.js";

export type SampleEnvironment = Pick<
  StartRunOptions,
  "home" | "env" | "configPath" | "cwd" | "tools" | "policy" | "sandbox" | "unsafeNoSandbox" | "budget" | "instructions"
> & {
  store: RunStore;
  scorer: Scorer;
  evalId: string;
  maxInfraRetries: number;
  signal: AbortSignal;
  /** A run's workspace has a working sandbox (undefined) or what is wrong with it. */
  checkSandbox?: (runId: string) => Promise<string | undefined>;
  /** The model a config's runs call: one shared client behind its provider's rate-limit gate, or the id to resolve per run. */
  modelOf?: (config: EvalConfig) => Promise<string | ModelClient>;
};

type Attempt = {
  runId: string;
  status: RunRecord["status"];
  infra?: string;
  answer?: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  costKnown: boolean;
  durationMs: number;
};

/** Errors that no retry can fix (no model configured, a bad flag): they stop the eval. */
const fatalCodes = new Set(["config_error", "model_not_configured"]);

export async function runSample(
  item: DatasetItem,
  config: EvalConfig,
  epoch: number,
  key: string,
  environment: SampleEnvironment,
): Promise<SampleRecord> {
  const retriedRunIds: string[] = [];
  let attempt = await attemptSample(item, config, epoch, environment);
  while (attempt.infra && retriedRunIds.length < environment.maxInfraRetries && !environment.signal.aborted) {
    retriedRunIds.push(attempt.runId);
    attempt = await attemptSample(item, config, epoch, environment);
  }
  const base = {
    key,
    itemId: item.id,
    configId: config.id,
    epoch,
    runId: attempt.runId,
    retriedRunIds,
    retried: retriedRunIds.length > 0,
    inputTokens: attempt.inputTokens,
    outputTokens: attempt.outputTokens,
    costUsd: attempt.costUsd,
    costKnown: attempt.costKnown,
    durationMs: attempt.durationMs,
  };
  const finish = (outcome: SampleOutcome, extra: Partial<SampleRecord> = {}): SampleRecord => {
    const sample = { ...base, ...extra, outcome, finishedAt: new Date().toISOString() };
    // Scores become gen_ai.evaluation.result events on the sample's run span (when tracing is on).
    const telemetry = telemetryOfProcess();
    if (telemetry && sample.runId) {
      const explanation = outcome.status === "error" ? outcome.message : sample.reason;
      recordEvaluationResult(telemetry, {
        runId: sample.runId,
        scorer: environment.scorer.name,
        label: outcome.status,
        ...(sample.score === undefined ? {} : { score: sample.score }),
        ...(explanation ? { explanation } : {}),
      });
    }
    return sample;
  };
  if (environment.signal.aborted || attempt.status === "cancelled")
    return finish({ status: "error", kind: "cancelled", message: "the eval was stopped" });
  if (attempt.infra) return finish({ status: "error", kind: "infra", message: attempt.infra });
  const response = attempt.answer ?? "";
  if (!response.trim()) return finish({ status: "fail" }, { reason: `the run ended ${attempt.status} without an answer` });
  const answer = extractFinalAnswer(response);
  const answered = { answer, answerKey: normaliseAnswer(answer) };
  try {
    const score = await environment.scorer.score({ item, response, answer, signal: environment.signal });
    return finish(
      { status: score.passed ? "pass" : "fail" },
      { ...answered, ...(score.score === undefined ? {} : { score: score.score }), ...(score.reason ? { reason: score.reason } : {}) },
    );
  } catch (error) {
    const kind = error instanceof ScorerInfraError ? "infra" : "scorer";
    return finish({ status: "error", kind, message: `${environment.scorer.name} scorer: ${errorMessage(error)}` }, answered);
  }
}

async function attemptSample(item: DatasetItem, config: EvalConfig, epoch: number, environment: SampleEnvironment): Promise<Attempt> {
  const { store, scorer: _scorer, evalId, maxInfraRetries: _retries, signal, checkSandbox, modelOf, ...runOptions } = environment;
  const model = modelOf ? await modelOf(config) : config.model;
  const startedAt = Date.now();
  const metadata = { eval_id: evalId, eval_item: item.id, eval_config: config.id, eval_epoch: String(epoch) };
  const attachments = {
    ...(item.files.length > 0 ? { files: item.files } : {}),
    ...(item.images.length > 0 ? { images: item.images } : {}),
  };
  try {
    if (config.effort === "auto") {
      // The router's choice (effort, and maybe sampling) is part of what this config measures,
      // so the classification runs' tokens and cost count too.
      const result = await askAuto(item.input, {
        ...runOptions,
        ...attachments,
        model: config.model,
        ...(config.samples > 1 ? { samples: config.samples } : {}),
        store,
        stream: false,
        signal,
        parentId: evalId,
        metadata,
      });
      await store.updateRun(result.runId, { parentId: evalId });
      const infra =
        result.status === "failed"
          ? `the run failed (routed as ${result.routing.requestClass} → ${result.routing.effort})`
          : await toolInfraError(store, result.runId, checkSandbox);
      const classification = (await Promise.all(result.routing.runIds.map((id) => store.getRun(id)))).map((run) => run?.usage);
      const spent = (field: "inputTokens" | "outputTokens" | "costUsd") =>
        result.usage[field] + classification.reduce((total, usage) => total + (usage?.[field] ?? 0), 0);
      return {
        runId: result.runId,
        status: result.status,
        ...(infra ? { infra } : {}),
        ...(result.answer ? { answer: result.answer } : {}),
        inputTokens: spent("inputTokens"),
        outputTokens: spent("outputTokens"),
        costUsd: spent("costUsd"),
        costKnown: result.usage.costKnown && classification.every((usage) => usage?.costKnown !== false),
        durationMs: Date.now() - startedAt,
      };
    }
    if (config.samples > 1) {
      const result = await bestOf(item.input, {
        ...runOptions,
        ...attachments,
        model,
        effort: config.effort,
        samples: config.samples,
        concurrency: config.samples,
        equivalence: "exact",
        maxInfraRetries: 0,
        store,
        signal,
      });
      // bestOf makes its own parent run; hanging it under the eval keeps `ponder runs` a tree.
      await store.updateRun(result.runId, { parentId: evalId });
      const infra =
        result.status === "failed" && (result.samples.outcomes.infra_failed ?? 0) > 0
          ? `every best-of sample failed (${result.error?.message ?? "infrastructure"})`
          : undefined;
      return {
        runId: result.runId,
        status: result.status,
        ...(infra ? { infra } : {}),
        ...(result.answer ? { answer: result.answer } : {}),
        inputTokens: result.usage.inputTokens,
        outputTokens: result.usage.outputTokens,
        costUsd: result.usage.costUsd,
        costKnown: result.usage.costKnown,
        durationMs: Date.now() - startedAt,
      };
    }
    const handle = await startRun(item.input, {
      ...runOptions,
      ...attachments,
      model,
      effort: config.effort,
      store,
      stream: false,
      signal,
      parentId: evalId,
      metadata,
    });
    const record = await handle.result;
    const infra =
      record.status === "failed"
        ? `the run failed: ${record.error?.message ?? "unknown error"}`
        : await toolInfraError(store, record.id, checkSandbox);
    return {
      runId: record.id,
      status: record.status,
      ...(infra ? { infra } : {}),
      ...(record.result?.answer ? { answer: record.result.answer } : {}),
      inputTokens: record.usage.inputTokens,
      outputTokens: record.usage.outputTokens,
      costUsd: record.usage.costUsd,
      costKnown: record.usage.costKnown,
      durationMs: Date.now() - startedAt,
    };
  } catch (error) {
    if (error instanceof PonderError && fatalCodes.has(error.code)) throw error;
    return {
      runId: "",
      status: signal.aborted ? "cancelled" : "failed",
      infra: `the run could not start: ${errorMessage(error)}`,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      costKnown: true,
      durationMs: Date.now() - startedAt,
    };
  }
}

/** A tool output the harness marked infra_error, or a sandbox the run left broken: the answer cannot be trusted as the model's. */
async function toolInfraError(
  store: RunStore,
  runId: string,
  checkSandbox: SampleEnvironment["checkSandbox"],
): Promise<string | undefined> {
  const items = await store.listItems(runId);
  const failed = items.find(({ item }) => item.type === "function_call_output" && item.error_kind === "infra_error");
  if (failed) return `a tool failed for infrastructure reasons in step ${failed.step}`;
  return checkSandbox && pythonCallsFailed(items.map(({ item }) => item)) ? checkSandbox(runId) : undefined;
}
