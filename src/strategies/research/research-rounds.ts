// The readers' part of a research: rounds of parallel readers (at most `breadth` per round,
// `depth` rounds), each later round made of the follow-up questions the previous round's
// readers raised, filtered by the planner. Stops launching as soon as the readers' share of
// the budget is spent; readers still running are stopped by the caller.
import type { ModelClient } from "../../models/model-client.js";
import type { AnyTool } from "../../tools/tool.js";
import { fanOut } from "../fan-out.js";
import type { StrategyRuns } from "../strategy-runs.js";
import { planFollowUps } from "./planner.js";
import { readSubQuestion, type ReaderOutcome } from "./reader.js";
import type { ResearchEventSink } from "./research-events.js";
import type { Plan } from "./research-schemas.js";

export type RoundsRequest = {
  parentId: string;
  question: string;
  plan: Plan;
  /** Runs the readers (stopped at the readers' share of the budget). */
  readerRuns: StrategyRuns;
  /** Runs the planner for follow-ups. */
  plannerRuns: StrategyRuns;
  model: ModelClient;
  tools: AnyTool[];
  breadth: number;
  depth: number;
  concurrency: number;
  readerSteps: number;
  /** False once the readers' share of time or tokens is spent. */
  readersMayGo: () => boolean;
  emit?: ResearchEventSink;
};

export type RoundsOutcome = { readers: ReaderOutcome[]; skipped: string[]; rounds: number; plannerRunIds: string[] };

export async function runRounds(request: RoundsRequest): Promise<RoundsOutcome> {
  const { parentId, question, readerRuns, plannerRuns, model, tools, breadth, depth, concurrency, readerSteps, readersMayGo, emit } =
    request;
  const readers: ReaderOutcome[] = [];
  const skipped: string[] = [];
  const plannerRunIds: string[] = [];
  let known: Plan = request.plan;
  let pending = request.plan.sub_questions;
  let rounds = 0;
  let nextIndex = 0;
  while (pending.length > 0 && rounds < depth) {
    const round = rounds++;
    const first = nextIndex;
    nextIndex += pending.length;
    const batch = pending;
    batch.forEach((sub, offset) =>
      emit?.({ type: "sub-question-updated", runId: parentId, round, index: first + offset, question: sub.question, state: "queued" }),
    );
    const outcomes = await fanOut(
      batch.length,
      async (offset) => {
        const sub = batch[offset] as Plan["sub_questions"][number];
        emit?.({ type: "sub-question-updated", runId: parentId, round, index: first + offset, question: sub.question, state: "reading" });
        const outcome = await readSubQuestion({
          runs: readerRuns,
          model,
          tools,
          question,
          subQuestion: sub,
          index: first + offset,
          maxSteps: readerSteps,
        });
        const state = outcome.notes.notes.length > 0 ? "done" : "no_notes";
        emit?.({
          type: "sub-question-updated",
          runId: parentId,
          round,
          index: first + offset,
          question: sub.question,
          state,
          notes: outcome.notes.notes.length,
          ...(outcome.child ? { childId: outcome.child.runId } : {}),
        });
        return { offset, outcome };
      },
      { concurrency, mayStart: () => readersMayGo() && readerRuns.mayStart(), maxRetries: 0, shouldRetry: () => false },
    );
    const done = new Set(outcomes.map(({ offset }) => offset));
    batch.forEach((sub, offset) => {
      if (done.has(offset)) return;
      skipped.push(sub.question);
      emit?.({ type: "sub-question-updated", runId: parentId, round, index: first + offset, question: sub.question, state: "skipped" });
    });
    readers.push(...outcomes.map(({ outcome }) => outcome));
    const followUps = [...new Set(outcomes.flatMap(({ outcome }) => outcome.notes.follow_up))];
    if (rounds >= depth || followUps.length === 0 || !readersMayGo()) break;
    const next = await planFollowUps(known, followUps, { runs: plannerRuns, model, breadth, index: rounds });
    plannerRunIds.push(...next.runIds);
    pending = next.plan.sub_questions;
    known = { ...known, sub_questions: [...known.sub_questions, ...pending] };
    if (pending.length > 0)
      emit?.({
        type: "research-planned",
        runId: parentId,
        restatedQuestion: known.restated_question,
        subQuestions: pending.map((sub) => sub.question),
        round: rounds,
      });
  }
  return { readers, skipped, rounds, plannerRunIds };
}
