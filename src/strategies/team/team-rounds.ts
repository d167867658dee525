// The team's conversation: the solver answers, the critic reviews the answer and the solver's
// tool evidence, the solver revises, until the critic approves or no new run may start. Each
// message is the input of a child run; each round is also a note on the parent run.
import { newId } from "../../core/ids.js";
import type { ModelClient } from "../../models/model-client.js";
import type { RunStore } from "../../store/run-store.js";
import type { ChildRun, StrategyRuns } from "../strategy-runs.js";
import { criticInstructions, criticPrompt, criticRepairPrompt, parseVerdict, type CriticVerdict } from "./critic-verdict.js";
import { plannerInstructions, revisionPrompt, solverPrompt } from "./team-prompts.js";
import { summariseToolEvidence } from "./tool-evidence.js";

export type TeamRound = {
  round: number;
  solverRunId: string;
  /** The solver's answer; empty when its run did not answer. */
  answer: string;
  /** The critic's runs this round (a second one when the first reply had to be repaired). */
  criticRunIds: string[];
  verdict?: CriticVerdict["verdict"];
  reasons: string[];
};

/** Why the conversation ended. */
export type TeamStop = "approved" | "budget" | "max_rounds" | "critic_failed" | "solver_failed" | "cancelled";

export type Conversation = { rounds: TeamRound[]; planRunId?: string; stop: TeamStop; answer: string };

export type ConversationOptions = {
  question: string;
  solver: ModelClient;
  critic: ModelClient;
  planner: boolean;
  maxRounds: number;
  store: RunStore;
  parentId: string;
  onRound?: (round: TeamRound) => void;
};

export async function converse(runs: StrategyRuns, options: ConversationOptions): Promise<Conversation> {
  const { question, solver, critic, store, maxRounds } = options;
  const rounds: TeamRound[] = [];
  let plan: string | undefined;
  let planRunId: string | undefined;
  if (options.planner && runs.mayStart()) {
    const planned = await runs.run({
      role: "planner",
      index: 0,
      input: question,
      model: solver,
      tools: [],
      instructions: plannerInstructions,
    });
    planRunId = planned.runId;
    plan = answerOf(planned) || undefined;
    await noteOnParent(
      store,
      options.parentId,
      0,
      plan
        ? `Planner (run ${planned.runId}):\n${plan}`
        : `The planner run ${planned.runId} ${planned.outcome}; the solver works without a plan.`,
    );
  }
  let latest = "";
  const stop = (reason: TeamStop): Conversation => ({ rounds, ...(planRunId ? { planRunId } : {}), stop: reason, answer: latest });
  for (let round = 1; ; round++) {
    if (!runs.mayStart()) return stop(runs.signal.aborted ? "cancelled" : "budget");
    const previous = rounds.at(-1);
    const input = previous ? revisionPrompt(question, plan, previous.answer, previous.reasons, round) : solverPrompt(question, plan);
    const solved = await runs.run({ role: "solver", index: round, input, model: solver });
    const answer = answerOf(solved);
    const entry: TeamRound = { round, solverRunId: solved.runId, answer, criticRunIds: [], reasons: [] };
    rounds.push(entry);
    if (!answer) {
      await noteOnParent(store, options.parentId, round, `Round ${round}: the solver run ${solved.runId} ${solved.outcome}.`);
      options.onRound?.(entry);
      return stop(runs.signal.aborted ? "cancelled" : solved.outcome === "budget_refused" ? "budget" : "solver_failed");
    }
    latest = answer;
    if (!runs.mayStart()) {
      await noteOnParent(
        store,
        options.parentId,
        round,
        `Round ${round}: solver run ${solved.runId} answered; no budget left for a review.`,
      );
      options.onRound?.(entry);
      return stop(runs.signal.aborted ? "cancelled" : "budget");
    }
    const review = criticPrompt(question, answer, await summariseToolEvidence(store, solved.runId), round);
    const verdict = await reviewWithRepair(runs, critic, review, round, entry);
    await noteOnParent(store, options.parentId, round, roundSummary(entry));
    options.onRound?.(entry);
    if (!verdict) return stop("critic_failed");
    if (verdict.verdict === "approve") return stop("approved");
    if (round >= maxRounds) return stop("max_rounds");
  }
}

/** The critic's verdict, asking once more when its reply is not valid; undefined when neither is. */
async function reviewWithRepair(
  runs: StrategyRuns,
  critic: ModelClient,
  review: string,
  round: number,
  entry: TeamRound,
): Promise<CriticVerdict | undefined> {
  let input = review;
  for (let attempt = 0; attempt < 2; attempt++) {
    if (attempt > 0 && !runs.mayStart()) break;
    const reviewed = await runs.run({ role: "critic", index: round, input, model: critic, tools: [], instructions: criticInstructions });
    entry.criticRunIds.push(reviewed.runId);
    const reply = answerOf(reviewed);
    const parsed = parseVerdict(reply);
    if (parsed.ok) {
      entry.verdict = parsed.value.verdict;
      entry.reasons = parsed.value.reasons;
      return parsed.value;
    }
    entry.reasons = [`the critic's reply was not a valid verdict (${parsed.problem})`];
    input = criticRepairPrompt(review, reply || `(the run ${reviewed.outcome})`, parsed.problem);
  }
  return undefined;
}

function answerOf(child: ChildRun): string {
  return child.outcome === "answered" ? (child.record.result?.answer ?? "").trim() : "";
}

function roundSummary(entry: TeamRound): string {
  const verdict = entry.verdict ?? "no valid verdict";
  const reasons = entry.reasons.map((reason) => `  - ${reason}`).join("\n");
  return `Round ${entry.round}: solver run ${entry.solverRunId} answered “${entry.answer.slice(0, 120)}”; critic run ${entry.criticRunIds.join(", ")}: ${verdict}${reasons ? `\n${reasons}` : ""}`;
}

/** A note on the parent run for each exchange, so `ponder show <parent>` tells the conversation. */
async function noteOnParent(store: RunStore, parentId: string, step: number, text: string): Promise<void> {
  await store.appendItems(parentId, step, [{ type: "note", id: newId("note"), kind: "info", text }]);
}
