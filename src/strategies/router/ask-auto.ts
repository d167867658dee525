// The library's `--effort auto`: route the request, then answer it with one run or, for a hard
// request, with best-of-N; the decision comes back with the answer and is noted on the run.
import type { Budget, Usage } from "../../core/budget.js";
import type { RunEvent } from "../../core/events.js";
import type { RunStatus } from "../../core/run.js";
import { resolveSettings } from "../../config/resolve-settings.js";
import { modelFromSettings } from "../../config/model-from-settings.js";
import { startRun, type StartRunOptions } from "../../library/start-run.js";
import type { ModelClient } from "../../models/model-client.js";
import { leaseStore } from "../../store/store-lease.js";
import { bestOf, type BestOfOptions } from "../best-of.js";
import type { StrategyEvent } from "../strategy-events.js";
import type { ExplicitChoices, RoutingDecision } from "./effort-decision.js";
import { decisionMetadata, recordDecision, routeRequest } from "./route-request.js";

export type AskAutoOptions = Omit<StartRunOptions, "effort" | "onEvent"> &
  ExplicitChoices &
  Pick<BestOfOptions, "judgeModel" | "concurrency" | "maxSamples"> & {
    model?: string | ModelClient;
    /** The run's events, or with sampling the strategy's and its children's. */
    onEvent?: (event: RunEvent | StrategyEvent) => void;
  };

export type AskAutoResult = {
  answer: string;
  /** The run that answered, or the best-of-N parent run. */
  runId: string;
  status: RunStatus;
  usage: Usage;
  routing: RoutingDecision;
  budgetExhausted?: string;
};

/** Budget fields that, with sampling, hold over every sample together (docs/strategies.md). */
const totalFields = ["maxTotalTokens", "maxCostUsd", "timeoutMs", "deadline"] as const;

export async function askAuto(question: string, options: AskAutoOptions = {}): Promise<AskAutoResult> {
  const { samples, untilConfident, select, judgeModel, concurrency, maxSamples, ...runOptions } = options;
  const settings = resolveSettings(
    {
      model: typeof options.model === "string" ? options.model : undefined,
      home: options.home,
      configPath: options.configPath,
      unsafeNoSandbox: options.unsafeNoSandbox,
    },
    options.env ?? process.env,
    options.cwd ?? process.cwd(),
  );
  const model = await modelFromSettings(options.model, settings);
  const { store, release } = leaseStore(options.store, settings);
  try {
    const routing = await routeRequest(question, {
      model,
      store,
      env: options.env,
      home: options.home,
      configPath: options.configPath,
      cwd: options.cwd,
      signal: options.signal,
      attachments: (options.images?.length ?? 0) + (options.files?.length ?? 0),
      explicit: { budget: options.budget, samples, untilConfident, select },
    });
    if (routing.sampling) {
      const budget = options.budget ?? {};
      const perSample: Budget = Object.fromEntries(
        Object.entries(budget).filter(([field]) => !(totalFields as readonly string[]).includes(field)),
      );
      const totalBudget: Budget = Object.fromEntries(
        Object.entries(budget).filter(([field]) => (totalFields as readonly string[]).includes(field)),
      );
      const { metadata: _metadata, parentId: _parentId, onEvent, ...base } = runOptions;
      const result = await bestOf(question, {
        ...base,
        ...routing.sampling,
        model,
        judgeModel,
        concurrency,
        maxSamples,
        effort: routing.effort,
        budget: perSample,
        totalBudget,
        store,
        onEvent,
      });
      await recordDecision(store, result.runId, result.usage.steps, routing);
      return {
        answer: result.answer,
        runId: result.runId,
        status: result.status,
        usage: result.usage,
        routing,
        ...(result.budgetExhausted ? { budgetExhausted: result.budgetExhausted } : {}),
      };
    }
    const handle = await startRun(question, {
      ...runOptions,
      model,
      store,
      effort: routing.effort,
      budget: routing.budget,
      metadata: { ...options.metadata, ...decisionMetadata(routing) },
    });
    const record = await handle.result;
    await recordDecision(store, record.id, record.usage.steps, routing);
    return {
      answer: record.result?.answer ?? "",
      runId: record.id,
      status: record.status,
      usage: record.usage,
      routing,
      ...(record.result?.budgetExhausted ? { budgetExhausted: record.result.budgetExhausted } : {}),
    };
  } finally {
    await release();
  }
}
