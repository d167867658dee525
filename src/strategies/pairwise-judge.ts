// A judge model compares two candidates in a child run of its own; the tournament asks it
// about both orders of every pair (see tournament.ts).
import type { ModelClient } from "../models/model-client.js";
import type { Candidate } from "./answer-clusters.js";
import type { StrategyRuns } from "./strategy-runs.js";
import { combineSwappedVerdicts, type Compare, type JudgedOrder, type Verdict } from "./tournament.js";

export const judgeInstructions = `You judge answers to a question. You see the question and two candidate answers, A and B.
Decide which one is more likely correct and complete; judge the substance, not the length or the style, and do not prefer an answer for coming first.
End your reply with exactly these two lines:
REASON: <one sentence saying why>
VERDICT: A or B or TIE`;

export function judgePrompt(question: string, first: string, second: string): string {
  return `Question:\n${question}\n\n<answer_a>\n${first}\n</answer_a>\n\n<answer_b>\n${second}\n</answer_b>\n\nWhich answer is better?`;
}

/** The verdict in a judge's reply (its last VERDICT line); a reply without one counts as a tie. */
export function parseVerdict(text: string): JudgedOrder {
  const verdicts = [...text.matchAll(/verdict\s*[:：]\s*\**\s*(a|b|tie)\b/gi)];
  const last = verdicts.at(-1)?.[1]?.toLowerCase();
  const verdict: Verdict = last === "a" ? "first" : last === "b" ? "second" : "tie";
  const reason = /reason\s*[:：]\s*(.+)/i.exec(text)?.[1]?.trim() ?? (last ? "" : "the judge gave no verdict");
  return { verdict, reason };
}

/** A tournament comparison that asks `model` about both orders of the pair, at once. */
export function pairwiseJudge(runs: StrategyRuns, question: string, model: ModelClient, nextIndex: () => number): Compare<Candidate> {
  const judgeOrder = async (first: Candidate, second: Candidate): Promise<JudgedOrder> => {
    const child = await runs.run({
      role: "judge",
      index: nextIndex(),
      input: judgePrompt(question, first.text, second.text),
      model,
      tools: [],
      instructions: judgeInstructions,
    });
    // A judge run that failed has no opinion: it counts as a tie, never as a win.
    return child.outcome === "answered"
      ? parseVerdict(child.record.result?.answer ?? "")
      : { verdict: "tie", reason: `the judge run ${child.runId} ${child.outcome}` };
  };
  return async (x, y) => {
    const [xFirst, yFirst] = await Promise.all([judgeOrder(x, y), judgeOrder(y, x)]);
    const outcome = combineSwappedVerdicts(xFirst.verdict, yFirst.verdict);
    const label = (candidate: Candidate) => `“${candidate.answer.slice(0, 40)}”`;
    const summary =
      outcome === "tie"
        ? `${label(x)} vs ${label(y)}: tie (${xFirst.verdict === yFirst.verdict && xFirst.verdict !== "tie" ? "the judge preferred whichever came first" : "the two orders disagreed"})`
        : `${label(outcome === "x" ? x : y)} beat ${label(outcome === "x" ? y : x)}: ${(outcome === "x" ? xFirst : yFirst).reason || yFirst.reason}`;
    return { outcome, reasons: [summary] };
  };
}
