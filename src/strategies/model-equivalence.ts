// For free-text answers, normalisation cannot tell whether two answers say the same thing;
// a model can. Each check is a small child run; verdicts are cached by answer pair.
import type { ModelClient } from "../models/model-client.js";
import { cachedEquivalence, type EquivalenceCheck } from "./answer-clusters.js";
import type { StrategyRuns } from "./strategy-runs.js";

export const equivalenceInstructions = `You compare two answers to the same question. Say whether they give the same final answer (the same conclusion, value or choice), ignoring wording, length and explanation.
End your reply with exactly one line: SAME or DIFFERENT`;

export function equivalencePrompt(question: string, first: string, second: string): string {
  return `Question:\n${question}\n\n<answer_1>\n${first}\n</answer_1>\n\n<answer_2>\n${second}\n</answer_2>\n\nDo they give the same final answer?`;
}

/** True only for an explicit SAME: when in doubt, answers stay apart. */
export function parseEquivalence(text: string): boolean {
  const last = [...text.matchAll(/\b(same|different)\b/gi)].at(-1)?.[1]?.toLowerCase();
  return last === "same";
}

export function modelEquivalence(runs: StrategyRuns, question: string, model: ModelClient, nextIndex: () => number): EquivalenceCheck {
  return cachedEquivalence(async (first, second) => {
    const child = await runs.run({
      role: "equivalence",
      index: nextIndex(),
      input: equivalencePrompt(question, first.answer, second.answer),
      model,
      tools: [],
      instructions: equivalenceInstructions,
    });
    return child.outcome === "answered" && parseEquivalence(child.record.result?.answer ?? "");
  });
}
