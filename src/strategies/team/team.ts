// team: a solver and a critic (and, when asked, a planner) as cooperating child runs of one
// parent run. The critic reviews each answer with the solver's tool evidence; the solver
// revises until the critic approves or the total budget ends, when the latest answer is given
// and marked as not approved.
import { deadlineOf, type Budget, type Usage } from "../../core/budget.js";
import { errorMessage, PonderError } from "../../core/errors.js";
import type { RunEvent } from "../../core/events.js";
import type { RunError, RunStatus } from "../../core/run.js";
import type { ModelClient } from "../../models/model-client.js";
import type { RunStore } from "../../store/run-store.js";
import { ParentRun } from "../parent-run.js";
import type { ChildOutcome, ChildRole, StrategyEvent } from "../strategy-events.js";
import { StrategyRuns, type ChildBase } from "../strategy-runs.js";
import { converse, type TeamRound, type TeamStop } from "./team-rounds.js";
import { openStrategyEnvironment, sharedClients } from "../strategy-environment.js";

export type { TeamRound, TeamStop } from "./team-rounds.js";

export type TeamOptions = ChildBase & {
  /** The solver (and planner): a model id or a ModelClient. */
  model?: string | ModelClient;
  /** The critic; default: the solver's model. */
  criticModel?: string | ModelClient;
  /** A planner run first, whose plan the solver is given (default false). */
  planner?: boolean;
  /** Solver answers at most, the first included (default 3). */
  maxRounds?: number;
  /** One budget over every run of the team: tokens, cost, time. Per-run limits go in `budget`. */
  totalBudget?: Budget;
  store?: RunStore;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent | StrategyEvent) => void;
  /** Called after each round: the answer, the verdict and its reasons. */
  onRound?: (round: TeamRound) => void;
};

export type TeamResult = {
  answer: string;
  /** The parent run: `ponder show <runId>` tells the conversation in its notes. */
  runId: string;
  status: RunStatus;
  usage: Usage;
  /** Whether the critic approved the answer; false means it is the latest answer, unapproved. */
  approved: boolean;
  stop: TeamStop;
  rounds: TeamRound[];
  planRunId?: string;
  children: { runId: string; role: ChildRole; index: number; status: RunStatus; outcome: ChildOutcome }[];
  budgetExhausted?: string;
  error?: RunError;
};

export async function team(question: string, options: TeamOptions = {}): Promise<TeamResult> {
  const {
    model: solverOption,
    criticModel,
    planner = false,
    maxRounds = 3,
    totalBudget = {},
    store: storeOption,
    signal,
    onEvent,
    onRound,
    ...base
  } = options;
  if (!Number.isInteger(maxRounds) || maxRounds < 1)
    throw new PonderError("config_error", `maxRounds ${maxRounds} is not a positive whole number.`, { hint: "For example 3." });
  const environment = await openStrategyEnvironment({ solver: solverOption, reviewer: criticModel, store: storeOption, signal, base });
  const { settings, store, controller } = environment;

  // The solver and the critic share one rate-limit gate per provider, like best-of-N's samples.
  const { solver, reviewer: critic, ledger } = sharedClients(environment, totalBudget);
  const parent = await ParentRun.create(store, {
    model: solver.id,
    input: question,
    effort: base.effort ?? settings.effort,
    budget: totalBudget,
    tools: (base.tools ?? []).map((tool) => (typeof tool === "string" ? tool : tool.name)),
    strategy: { name: "team", settings: { maxRounds, planner, criticModel: critic.id } },
  });
  const deadline = deadlineOf(totalBudget, Date.now());
  const runs = new StrategyRuns({ parent, store, signal: controller.signal, base, ledger, deadline, emit: onEvent });
  try {
    const conversation = await converse(runs, { question, solver, critic, planner, maxRounds, store, parentId: parent.id, onRound });
    const approved = conversation.stop === "approved";
    const exhausted =
      ledger?.exhausted ??
      (conversation.stop === "budget"
        ? deadline !== undefined && Date.now() >= deadline
          ? "deadline"
          : "total budget"
        : conversation.stop === "max_rounds"
          ? "rounds"
          : undefined);
    const status: RunStatus = controller.signal.aborted ? "cancelled" : conversation.answer ? "completed" : "failed";
    const error = status === "failed" ? { code: "no_answers", message: `The solver gave no answer (${conversation.stop}).` } : undefined;
    const summary = approved
      ? `The critic approved the answer of round ${conversation.rounds.length}.`
      : `Not approved (${conversation.stop}) after ${conversation.rounds.length} round(s); the answer is the solver's latest.`;
    if (conversation.answer)
      onEvent?.({
        type: "winner-selected",
        runId: parent.id,
        answer: conversation.answer,
        method: approved ? "team: approved" : "team: latest, not approved",
      });
    const result = conversation.answer
      ? {
          answer: conversation.answer,
          stopReason: status === "cancelled" ? ("cancelled" as const) : ("answered" as const),
          ...(exhausted && !approved ? { budgetExhausted: exhausted } : {}),
        }
      : undefined;
    const record = await parent.finish(status, result, summary, error);
    return {
      answer: conversation.answer,
      runId: parent.id,
      status,
      usage: record.usage,
      approved,
      stop: conversation.stop,
      rounds: conversation.rounds,
      ...(conversation.planRunId ? { planRunId: conversation.planRunId } : {}),
      children: runs.children.map(({ runId, role, index, record: child, outcome }) => ({
        runId,
        role,
        index,
        status: child.status,
        outcome,
      })),
      ...(exhausted && !approved ? { budgetExhausted: exhausted } : {}),
      ...(error ? { error } : {}),
    };
  } catch (error) {
    controller.abort();
    await parent.finish(signal?.aborted ? "cancelled" : "failed", undefined, `The team stopped: ${errorMessage(error)}`, {
      code: error instanceof PonderError ? error.code : "internal_error",
      message: errorMessage(error),
    });
    throw error;
  } finally {
    await environment.release();
  }
}
