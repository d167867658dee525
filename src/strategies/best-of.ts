// bestOf: N samples of one question as child runs of a parent run, their answers clustered,
// and one answer selected by vote, judge, verifier or synthesis; or, with `untilConfident`,
// samples in rounds until the vote is sure enough.
import { deadlineOf, type Budget } from "../core/budget.js";
import { errorMessage, PonderError } from "../core/errors.js";
import type { RunEvent } from "../core/events.js";
import type { RunStatus } from "../core/run.js";
import type { ModelClient } from "../models/model-client.js";
import type { RunStore } from "../store/run-store.js";
import { extractFinalAnswer } from "./answer-extraction.js";
import { ParentRun } from "./parent-run.js";
import { collectSamples } from "./sampling.js";
import { selectAnswer, type BestOfResult, type Selection } from "./selection.js";
import type { StrategyEvent } from "./strategy-events.js";
import { outcomeOf, StrategyRuns, type ChildBase, type ChildRun } from "./strategy-runs.js";
import type { TournamentFormat } from "./tournament.js";
import type { Verifier } from "./verifier.js";
import { openStrategyEnvironment, sharedClients } from "./strategy-environment.js";

export type { BestOfResult, Selection } from "./selection.js";

export type BestOfOptions = ChildBase & {
  /** The solver: a model id or a ModelClient. */
  model?: string | ModelClient;
  /** The judge (and equivalence and synthesis) model; default: the solver. */
  judgeModel?: string | ModelClient;
  /** Samples to take (default 8); with `untilConfident`, see maxSamples. */
  samples?: number;
  /** How the answer is chosen (default: verify when a verifier is given, else vote). */
  select?: Selection;
  /**
   * Child runs at once. Default: every sample at once (maxSamples with `untilConfident`); the
   * provider's calls are still bounded by its rate-limit gate, whose limit adapts to 429s.
   */
  concurrency?: number;
  /** How many ranked candidates to report, and how many the synthesis reads (default 3). */
  top?: number;
  tournament?: TournamentFormat;
  /** With select "judge": score each candidate against this rubric (its bullet lines are the criteria) instead of a tournament. */
  rubric?: string;
  /** The most clusters a tournament takes in, largest first (default 16). */
  maxEntrants?: number;
  verify?: Verifier;
  /** Sample in rounds until the leading answer's confidence reaches this (0..1). */
  untilConfident?: number;
  /** The most samples adaptive sampling takes (default 64). */
  maxSamples?: number;
  /** One budget over every child run: tokens, cost, time. Per-sample limits go in `budget`. */
  totalBudget?: Budget;
  /** Further tries of a sample that failed for infrastructure reasons (default 1). */
  maxInfraRetries?: number;
  extractAnswer?: (text: string) => string;
  /** "model" (default) asks the judge model whether two free-text answers agree; "exact" only normalises. */
  equivalence?: "model" | "exact";
  store?: RunStore;
  /** Run as this stored queued run (one the server or `ponder submit` created) instead of a new parent run. */
  runId?: string;
  /** The new parent run's id, when the caller chose it first (runs made on its behalf, e.g. a routing classification, name it as their parent). */
  id?: string;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent | StrategyEvent) => void;
};

/** Share of the time budget kept for judging and synthesis after sampling. */
const selectionTimeShare = 0.25;

export async function bestOf(question: string, options: BestOfOptions = {}): Promise<BestOfResult> {
  const {
    model: solverOption,
    judgeModel: judgeOption,
    samples,
    select,
    concurrency: concurrencyOption,
    top = 3,
    tournament = "knockout",
    rubric,
    maxEntrants = 16,
    verify,
    untilConfident,
    maxSamples = 64,
    totalBudget = {},
    maxInfraRetries = 1,
    extractAnswer = extractFinalAnswer,
    equivalence = "model",
    store: storeOption,
    runId,
    id: parentRunId,
    signal,
    onEvent,
    ...base
  } = options;
  const method: Selection = select ?? (verify ? "verify" : "vote");
  if (method === "verify" && !verify)
    throw new PonderError("config_error", "select: verify needs a verifier.", { hint: "Pass `verify` (or --verify tests.py)." });
  if (rubric !== undefined && method !== "judge")
    throw new PonderError("config_error", `A rubric is for the judge, not select: ${method}.`, {
      hint: "Add select: judge (or --select judge).",
    });
  if (rubric !== undefined && !rubric.trim())
    throw new PonderError("config_error", "The rubric is empty.", {
      hint: "Write the criteria as bullet lines, e.g. - Correctness: the result is right.",
    });
  if (untilConfident !== undefined && !(untilConfident > 0 && untilConfident < 1)) {
    throw new PonderError("config_error", `untilConfident ${untilConfident} is not a probability between 0 and 1.`, {
      hint: "For example 0.8 or 0.9.",
    });
  }
  const concurrency = concurrencyOption ?? (untilConfident === undefined ? (samples ?? 8) : maxSamples);
  const environment = await openStrategyEnvironment({ solver: solverOption, reviewer: judgeOption, store: storeOption, signal, base });
  const { settings, store, controller } = environment;

  const startedAt = Date.now();
  const deadline = deadlineOf(totalBudget, startedAt);
  const needsSelectionRuns = method === "judge" || method === "synthesize" || equivalence === "model";
  const samplingDeadline =
    deadline === undefined || !needsSelectionRuns ? deadline : deadline - (deadline - startedAt) * selectionTimeShare;
  const { solver, reviewer: judge, ledger } = sharedClients(environment, totalBudget);
  const strategySettings: Record<string, string | number | boolean> = {
    select: method,
    concurrency,
    ...(untilConfident === undefined ? { samples: samples ?? 8 } : { untilConfident, maxSamples }),
    ...(method === "judge" ? { ...(rubric === undefined ? { tournament } : { rubric }), judgeModel: judge.id } : {}),
  };
  const parent = await ParentRun.create(
    store,
    {
      model: solver.id,
      input: question,
      effort: base.effort ?? settings.effort,
      budget: totalBudget,
      tools: (base.tools ?? []).map((tool) => (typeof tool === "string" ? tool : tool.name)),
      strategy: { name: untilConfident === undefined ? "best-of-n" : "adaptive", settings: strategySettings },
    },
    runId,
    base.leaseMs,
    controller.signal,
    parentRunId,
  );
  const runs = new StrategyRuns({ parent, store, signal: controller.signal, base, ledger, deadline: samplingDeadline, emit: onEvent });
  try {
    // A stored strategy run started again (its process died) keeps the samples that had answered.
    const earlier = runId === undefined ? [] : await earlierSamples(store, parent);
    const sampled = await collectSamples(runs, {
      question,
      model: solver,
      concurrency,
      maxInfraRetries,
      extractAnswer,
      earlier,
      ...(untilConfident === undefined ? { count: samples ?? 8 } : { untilConfident, maxSamples }),
      equivalenceModel: equivalence === "model" ? judge : undefined,
    });
    const selectionRuns =
      deadline === samplingDeadline
        ? runs
        : new StrategyRuns({ parent, store, signal: controller.signal, base, ledger, deadline, emit: onEvent });
    const selected = await selectAnswer(selectionRuns, { question, method, sampled, judge, verify, tournament, rubric, top, maxEntrants });
    if (selected.answer) {
      onEvent?.({
        type: "winner-selected",
        runId: parent.id,
        answer: selected.winner?.answer ?? selected.answer,
        method,
        ...(selected.winner ? { share: selected.winner.share } : {}),
        ...(selected.confidence === undefined ? {} : { confidence: selected.confidence }),
      });
    }
    const exhausted =
      ledger?.exhausted ?? (deadline !== undefined && Date.now() >= (samplingDeadline ?? deadline) ? "deadline" : undefined);
    const status: RunStatus = controller.signal.aborted ? "cancelled" : selected.answer ? "completed" : "failed";
    const error = status === "failed" ? { code: "no_answers", message: `No sample answered: ${sampled.summary}.` } : undefined;
    const distribution = selected.clusters.map(({ answer, count, share, runIds }) => ({ answer, count, share, runIds }));
    const result = {
      answer: selected.answer,
      stopReason: status === "cancelled" ? "cancelled" : "answered",
      distribution,
      ...(selected.confidence === undefined ? {} : { confidence: selected.confidence }),
      ...(exhausted ? { budgetExhausted: exhausted } : {}),
    } as const;
    const record = await parent.finish(status, selected.answer ? result : undefined, selected.summary, error);
    return {
      ...selected,
      runId: parent.id,
      status,
      usage: record.usage,
      children: [...runs.children, ...(selectionRuns === runs ? [] : selectionRuns.children)].map(
        ({ runId, role, index, record: child, outcome }) => ({ runId, role, index, status: child.status, outcome }),
      ),
      ...(exhausted ? { budgetExhausted: exhausted } : {}),
      ...(error ? { error } : {}),
    };
  } catch (error) {
    controller.abort();
    await parent.finish(
      controller.signal.aborted && signal?.aborted ? "cancelled" : "failed",
      undefined,
      `The strategy stopped: ${errorMessage(error)}`,
      { code: error instanceof PonderError ? error.code : "internal_error", message: errorMessage(error) },
    );
    throw error;
  } finally {
    await environment.release();
  }
}

async function earlierSamples(store: RunStore, parent: ParentRun): Promise<ChildRun[]> {
  const children = await store.listRuns({ parentId: parent.id, limit: 100_000 });
  const samples = children.flatMap((record): ChildRun[] => {
    const index = Number(record.spec.metadata?.index);
    if (record.spec.metadata?.role !== "sample" || !Number.isSafeInteger(index)) return [];
    return [{ runId: record.id, role: "sample", index, record, outcome: outcomeOf(record) }];
  });
  for (const child of samples) parent.reportUsage(child.runId, child.record.usage);
  return samples.sort((left, right) => left.index - right.index);
}
