import { mkdirSync } from "node:fs";
import { signalUntil } from "../core/abort.js";
import { deadlineOf } from "../core/budget.js";
import type { RunEvent } from "../core/events.js";
import {
  errorMessage,
  isAbortError,
  ModelCallError,
  PonderError,
  RunNotFoundError,
  RunTakenOverError,
  SuspendedError,
} from "../core/errors.js";
import type { ContentPart, Item } from "../core/items.js";
import { clientToolNames, finishedStatuses, type RunRecord, type RunResult, type RunStatus } from "../core/run.js";
import type { ModelClient } from "../models/model-client.js";
import type { ModelPrice } from "../models/prices.js";
import type { ToolPolicy } from "../policy/tool-policy.js";
import type { RunStore } from "../store/run-store.js";
import type { ToolRegistry } from "../tools/registry.js";
import type { RunResources } from "../tools/run-resources.js";
import type { SandboxSettings } from "../tools/tool.js";
import { ContextManager } from "./context/context-manager.js";
import { contextSettingsOf, type ContextSettings } from "./context/context-settings.js";
import { earlierTurnItems, toolStateNotice } from "./conversation-context.js";
import type { KernelHandover } from "../tools/python/kept-kernels.js";
import { defaultInstructions } from "./default-instructions.js";
import { takeFinalTurn } from "./final-answer.js";
import { takeModelTurn, turnPricing } from "./model-turn.js";
import { RunJournal } from "./run-journal.js";
import { deriveRunState } from "./run-state.js";
import { budgetStopConditions, firstStop, workDeadlineOf, type StopCondition } from "./stop-conditions.js";
import { settleToolCalls, type Approver } from "./tool-batch.js";
import { toolDefinitions } from "./tool-definitions.js";
import { clientToolCallsOf, clientToolDefinitions, modelToolChoice, splitPendingCalls } from "./client-tools.js";
import { runInputItems, turnSettings } from "./turn-settings.js";
import { AnswerFormatError, answerChecker, answerRepairAttempts, repairRequest, repairsAsked } from "./answer-format.js";
import { logged, logger } from "../logging/logger.js";

const log = logger("loop");

export type LoopOptions = {
  store: RunStore;
  model: ModelClient;
  tools: ToolRegistry;
  policy: ToolPolicy;
  sandbox: SandboxSettings;
  /** The run's workspace directory; created before the first tool call. */
  workspace: string;
  resources: RunResources;
  /** Cancels the run: stops the model stream and every running tool. */
  signal: AbortSignal;
  emit: (event: RunEvent) => void;
  approver?: Approver;
  stopConditions?: StopCondition[];
  prices?: Record<string, ModelPrice>;
  /** How requests are kept inside the model's window (config `context`); defaults when absent. */
  context?: Partial<ContextSettings>;
  /** Things the user should know from setting the run up (an MCP server that did not start), kept as notes. */
  startNotes?: string[];
  /** Stream text and reasoning deltas (default true); false makes each turn one plain call. */
  streamDeltas?: boolean;
  /** Asked at each step boundary: true stops the run cleanly and leaves it `queued` for another process. */
  shouldYield?: () => boolean;
  /** Messages a person sent while the run was working; taken at the next step boundary. */
  takeSteering?: () => string[];
  /** Called as each model turn starts with what interrupts it; returns what to call when the turn ends. */
  watchTurn?: (interrupt: () => void) => () => void;
  /**
   * How long this process may go without a heartbeat before another host may take the run over
   * (default 60 s). Workers on a shared queue use short leases so a dead worker's run moves on fast.
   */
  leaseMs?: number;
  /**
   * The run's record when the caller has just created it (so it has no items), and the write
   * storing it, which may still be committing: saves reading the run back, and the loop's first
   * write goes after it.
   */
  created?: { record: RunRecord; write: Promise<void> };
  /** The run's record as the caller has just read it, and its items if it read them too. */
  stored?: StoredRun;
  /**
   * Called once the run's record is stored: hands the run tool state kept from the conversation's
   * previous turn or attempt in this process (its Python kernel), and says whether it did.
   */
  adoptToolState?: () => Promise<KernelHandover>;
};

/** A run as its caller read it from the store before handing it to the loop; without items, the loop reads them. */
export type StoredRun = { record: RunRecord; items?: Item[] };

const defaults = { toolConcurrency: 4, toolTimeoutMs: 120_000, maxRepairAttempts: 3 };
const longestHeartbeatIntervalMs = 10_000;

/**
 * Advances a run until it has an answer, needs an approval, is cancelled or fails. Everything
 * it knows comes from the stored record and items, so the same call starts a new run and
 * resumes one whose process died.
 */
export async function advanceRun(runId: string, options: LoopOptions): Promise<RunRecord> {
  const record = options.created?.record ?? options.stored?.record ?? (await options.store.getRun(runId));
  if (!record) throw new RunNotFoundError(runId);
  if (record.status === "completed" || record.status === "cancelled") return record;
  const items = options.created ? [] : (options.stored?.items ?? (await options.store.listItems(runId)).map((stored) => stored.item));
  const journal = new RunJournal(record, items, options.store, options.emit, options.leaseMs, options.created?.write);
  const resumed = items.length > 0;
  const earlierItems = record.previousRunId ? await earlierTurnItems(options.store, record) : [];
  const startedAt = Date.now();
  const deadline = deadlineOf(record.spec.budget, startedAt);
  const workDeadline = workDeadlineOf(startedAt, deadline);
  // Three heartbeats per lease: one lost write does not make a live run look dead.
  const heartbeatIntervalMs =
    options.leaseMs === undefined ? longestHeartbeatIntervalMs : Math.min(longestHeartbeatIntervalMs, options.leaseMs / 3);
  // The run's logger is made only if a heartbeat fails: most runs never need it.
  const heartbeatFailed = (error: unknown) =>
    logged(log.child({ runId }), "warn", "a heartbeat was not written; the next one may be")(error);
  const heartbeat = setInterval(() => void journal.heartbeat().catch(heartbeatFailed), heartbeatIntervalMs);
  heartbeat.unref();
  // Tools and model turns stop at the work deadline, leaving time for a final answer.
  const work = signalUntil(options.signal, workDeadline);

  journal.emit({ type: "run-started", runId, model: options.model.id, resumed });
  try {
    const running = { status: "running" as const, startedAt: record.startedAt ?? new Date(startedAt).toISOString(), error: undefined };
    const interrupted = record.status === "running";
    // The first model request need not wait for this commit: until it is durable the run is
    // as it was (queued, or stopped), and resuming it simply asks the model again.
    const { durable } = journal.appendSoon(
      [
        ...(resumed
          ? [
              {
                type: "note" as const,
                kind: "resumed" as const,
                text: interrupted
                  ? "The run's process stopped; resumed from the last checkpoint."
                  : `Resumed from status ${record.status}.`,
              },
            ]
          : runInputItems(record.spec)),
        ...(options.startNotes ?? []).map((text) => ({ type: "note" as const, kind: "info" as const, text })),
      ],
      running,
    );
    // A failed commit fails the run's next write.
    durable.catch(() => undefined);
    journal.emit({ type: "status-changed", runId, status: "running" });
    // Nothing about a new run is announced, and no model asked, before its record is durable.
    await journal.stored;
    // Only now: a turn that lost the race for its conversation must not take the kernel.
    const kernel = (await options.adoptToolState?.()) ?? { kept: false as const };
    const notice = toolStateNotice(resumed, earlierItems, items, kernel, clientToolNames(record.spec));
    const context = new ContextManager({
      model: options.model,
      settings: contextSettingsOf(options.context, record.spec.context),
      instructions: record.spec.instructions ?? defaultInstructions,
      budget: record.spec.budget,
      startedAt,
      deadline,
      resumed,
      workspace: options.workspace,
      costOf: turnPricing(options.model.id, options.prices),
    });
    const result = await loop(journal, options, { deadline, workDeadline, workSignal: work.signal }, earlierItems, notice, context);
    return await finish(journal, result);
  } catch (error) {
    try {
      if (options.signal.aborted && isAbortError(error)) {
        return await finish(journal, {
          answer: deriveRunState(journal.items).lastAssistantText ?? "",
          stopReason: abortedStop(options.signal),
        });
      }
      if (error instanceof RunTakenOverError) return await takenOver(runId, options.store);
      const failure = isAbortError(error)
        ? {
            code: "deadline_exceeded",
            message: "The deadline passed before the model could answer. Allow more time (--deadline) and resume.",
          }
        : {
            code: error instanceof PonderError ? error.code : "internal_error",
            message: errorMessage(error) + (error instanceof PonderError && error.hint ? ` ${error.hint}` : ""),
          };
      await journal.fail({ status: "failed", finishedAt: new Date().toISOString(), error: failure });
      journal.emit({ type: "run-finished", runId, status: "failed", error: journal.record.error });
      return journal.record;
    } catch (recordingError) {
      if (recordingError instanceof RunTakenOverError) return await takenOver(runId, options.store);
      throw recordingError;
    }
  } finally {
    clearInterval(heartbeat);
    work.release();
  }
}

/**
 * Another process took the run over (this one stalled past its lease, or both resumed it at
 * once): this one stops without writing, and reports the run as the store has it.
 */
async function takenOver(runId: string, store: RunStore): Promise<RunRecord> {
  const record = await store.getRun(runId);
  if (!record) throw new RunNotFoundError(runId);
  return record;
}

type Deadlines = { deadline?: number; workDeadline?: number; workSignal: AbortSignal };

async function loop(
  journal: RunJournal,
  options: LoopOptions,
  deadlines: Deadlines,
  earlierItems: Item[],
  notice: string | undefined,
  context: ContextManager,
): Promise<RunResult> {
  const spec = journal.record.spec;
  const instructions = spec.instructions ?? defaultInstructions;
  const conditions = options.stopConditions ?? budgetStopConditions;
  const tools = context.tools(options.tools, () => [...earlierItems, ...journal.items]);
  const environment = {
    tools,
    model: { id: options.model.id, vision: options.model.capabilities.vision },
    runId: journal.runId,
    workspace: options.workspace,
    // Synchronous on purpose: done once per run, it costs less than a trip to the thread pool.
    ensureWorkspace: once(async () => void mkdirSync(options.workspace, { recursive: true })),
    resources: options.resources,
    sandbox: options.sandbox,
    signal: deadlines.workSignal,
    timeoutMs: spec.toolTimeoutMs ?? defaults.toolTimeoutMs,
    offloadOutput: (callId: string, content: string | ContentPart[]) => context.offload(callId, content),
  };
  let lastTurn: { inputTokens: number; totalTokens: number; costUsd: number } | undefined;
  // The last turn's checkpoint, when its calls went ahead without waiting for it: awaited before
  // the next turn, so a failed commit stops the run there.
  let uncommittedTurn: Promise<void> | undefined;
  const costOf = turnPricing(options.model.id, options.prices);
  const clientTools = clientToolDefinitions(spec);
  const checkAnswer = answerChecker(spec.answerFormat);
  const turnOptions = (signal: AbortSignal, retryDeadline: number | undefined) => ({
    model: options.model,
    instructions,
    // The same array as other runs' turns when there are no client tools (see tool-definitions.ts).
    tools: clientTools.length === 0 ? toolDefinitions(tools) : [...toolDefinitions(tools), ...clientTools],
    settings: turnSettings(spec, journal.usage.outputTokens),
    checkAnswer,
    effort: spec.effort,
    signal,
    streamDeltas: options.streamDeltas ?? true,
    retryDeadline,
    costOf,
    emit: (event: RunEvent) => journal.emit(event),
    earlierItems,
    view: (items: Item[]) => context.view(items),
  });

  for (;;) {
    if (options.signal.aborted)
      return { answer: deriveRunState(journal.items).lastAssistantText ?? "", stopReason: abortedStop(options.signal) };
    const state = deriveRunState(journal.items);
    const pending = splitPendingCalls(spec, state.pendingCalls);
    if (pending.own.length > 0) {
      const outcome = await settleToolCalls(
        journal,
        { ...state, pendingCalls: pending.own },
        {
          environment,
          policy: options.policy,
          approver: options.approver,
          concurrency: spec.toolConcurrency ?? defaults.toolConcurrency,
          maxToolCalls: spec.budget.maxToolCalls,
          emit: (event) => journal.emit(event),
        },
      );
      if (outcome === "awaiting_approval") return { answer: "", stopReason: "awaiting_approval" };
      continue;
    }
    // Ponder's own calls are settled: the client's are the client's to run.
    if (pending.client.length > 0)
      return { answer: "", stopReason: "client_tool_calls", clientToolCalls: clientToolCallsOf(pending.client) };
    if (state.answered) {
      const problem = checkAnswer?.(state.lastAssistantText ?? "");
      if (problem === undefined) return { answer: state.lastAssistantText ?? "", stopReason: "answered" };
      if (repairsAsked(journal.items) >= answerRepairAttempts) throw new AnswerFormatError(problem);
      await journal.append([
        {
          type: "message",
          role: "user",
          content: [{ type: "input_text", text: repairRequest(spec.answerFormat ?? { type: "json_object" }, problem) }],
        },
      ]);
      continue;
    }
    if (options.shouldYield?.()) return { answer: "", stopReason: "yielded" };

    const steering = [...(notice ? [notice] : []), ...(options.takeSteering?.() ?? [])];
    notice = undefined;
    if (steering.length > 0) {
      await journal.append(
        steering.map((text) => ({ type: "message" as const, role: "user" as const, content: [{ type: "input_text" as const, text }] })),
      );
    }

    const stop = firstStop(conditions, {
      usage: journal.usage,
      budget: spec.budget,
      now: Date.now(),
      workDeadline: deadlines.workDeadline,
      lastTurn,
      invalidTurnsInARow: state.invalidTurnsInARow,
      maxRepairAttempts: spec.maxRepairAttempts ?? defaults.maxRepairAttempts,
    });
    if (stop) return finalAnswer(stop.reason);

    journal.emit({ type: "step-started", runId: journal.runId, step: journal.usage.steps + 1, final: false });
    // A steering message sent with `interrupt` stops this turn (not the run) so the model reads it now.
    const interruption = options.watchTurn ? new AbortController() : undefined;
    const releaseTurn = interruption && options.watchTurn?.(() => interruption.abort());
    // The turn's controller follows the run's signal through a listener of its own: cheaper, once
    // per step, than the bookkeeping of AbortSignal.any.
    const followRun = () => interruption?.abort(environment.signal.reason);
    if (environment.signal.aborted) followRun();
    else if (interruption) environment.signal.addEventListener("abort", followRun, { once: true });
    try {
      await uncommittedTurn;
      uncommittedTurn = undefined;
      const turnSignal = interruption ? interruption.signal : environment.signal;
      const nextTurn = turnOptions(turnSignal, deadlines.workDeadline);
      await context.beforeTurn(journal, earlierItems, { tools: nextTurn.tools, signal: turnSignal, retryDeadline: deadlines.workDeadline });
      const turn = await takeModelTurn(journal, { ...nextTurn, toolChoice: modelToolChoice(spec), finishWhenAnswered: true });
      context.observe(turn.usage);
      // Calls need not wait for the turn's commit here: each waits for what it needs before its
      // tool runs (see startGate in tool-batch.ts), and a non-repeatable call's in-flight mark
      // joins this very commit.
      if (turn.items.some((item) => item.type === "function_call")) uncommittedTurn = turn.committed;
      else await turn.committed;
      lastTurn = {
        inputTokens: turn.usage.inputTokens,
        totalTokens: turn.usage.inputTokens + turn.usage.outputTokens,
        costUsd: turn.costUsd,
      };
      journal.emit({ type: "step-finished", runId: journal.runId, step: journal.usage.steps });
      if (journal.record.status === "completed") return { answer: journal.record.result?.answer ?? "", stopReason: "answered" };
      const madeProgress = turn.items.some((item) => item.type === "function_call" || (item.type === "message" && item.content.length > 0));
      if (!madeProgress) return finalAnswer(`the model returned an empty turn (finish reason: ${turn.finishReason})`);
    } catch (error) {
      if (interruption?.signal.aborted && !environment.signal.aborted) {
        await journal.append([
          {
            type: "note",
            kind: "steer",
            text: "The model's turn was interrupted by a message from the user; what it had written in that turn was dropped.",
          },
        ]);
        continue;
      }
      // The work phase's deadline interrupted the turn: go on to the final answer.
      if (!options.signal.aborted && environment.signal.aborted) continue;
      // Retries could not succeed before the deadline: answer from what we have.
      if (error instanceof ModelCallError && error.retryable && deadlines.workDeadline !== undefined) {
        return finalAnswer(`deadline (the model kept failing: ${error.message})`);
      }
      throw error;
    } finally {
      releaseTurn?.();
      environment.signal.removeEventListener("abort", followRun);
    }
  }

  async function finalAnswer(reason: string): Promise<RunResult> {
    journal.emit({ type: "step-started", runId: journal.runId, step: journal.usage.steps + 1, final: true });
    const final = signalUntil(options.signal, deadlines.deadline);
    const answer = await takeFinalTurn(journal, reason, turnOptions(final.signal, deadlines.deadline)).finally(final.release);
    if (options.signal.aborted) return { answer, stopReason: abortedStop(options.signal) };
    return { answer, stopReason: "budget_exhausted", budgetExhausted: reason };
  }
}

const statusOf: Record<RunResult["stopReason"], RunStatus> = {
  answered: "completed",
  client_tool_calls: "completed",
  budget_exhausted: "completed",
  error: "failed",
  cancelled: "cancelled",
  awaiting_approval: "awaiting_approval",
  yielded: "queued",
  suspended: "paused",
};

/** Why an aborted run stopped: cancelled by someone, or suspended by its process's shutdown. */
function abortedStop(signal: AbortSignal): "cancelled" | "suspended" {
  return signal.reason instanceof SuspendedError ? "suspended" : "cancelled";
}

async function finish(journal: RunJournal, result: RunResult): Promise<RunRecord> {
  const status = statusOf[result.stopReason];
  const finished = finishedStatuses.includes(status);
  // An answering turn has already recorded the run as completed in its own checkpoint.
  if (status === "completed" && journal.record.status === "completed")
    journal.emit({ type: "status-changed", runId: journal.runId, status });
  else
    await journal.update({
      status,
      ...(finished ? { result, finishedAt: new Date().toISOString() } : status === "queued" ? {} : { result }),
    });
  if (finished) journal.emit({ type: "run-finished", runId: journal.runId, status, result });
  return journal.record;
}

function once<T>(create: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= create());
}
