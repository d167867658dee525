// Scorers that compare text: exact, normalised, numeric with a tolerance, regex, includes.
import { normaliseAnswer } from "../../strategies/answer-extraction.js";
import { targetsOf, type Score, type ScoreInput, type Scorer } from "./scorer.js";

function anyTarget(name: string, matches: (answer: string, target: string, input: ScoreInput) => boolean): Scorer {
  return {
    name,
    score: async (input): Promise<Score> => {
      const targets = targetsOf(input.item);
      const hit = targets.find((target) => matches(input.answer, target, input));
      return hit === undefined
        ? {
            passed: false,
            reason: `${JSON.stringify(input.answer)} does not match ${targets.map((target) => JSON.stringify(target)).join(" or ")}`,
          }
        : { passed: true, reason: `matches ${JSON.stringify(hit)}` };
    },
  };
}

export const exactScorer = anyTarget("exact", (answer, target) => answer.trim() === target.trim());

export const normalisedScorer = anyTarget("normalised", (answer, target) => normaliseAnswer(answer) === normaliseAnswer(target));

/** Matches when |answer − target| ≤ max(absolute, relative × |target|). */
export function numericScorer(tolerance: { absolute?: number; relative?: number } = {}): Scorer {
  const absolute = tolerance.absolute ?? 1e-6;
  const relative = tolerance.relative ?? 0;
  return anyTarget("numeric", (answer, target) => {
    const value = Number(normaliseAnswer(answer).replace(/%$/, ""));
    const expected = Number(normaliseAnswer(target).replace(/%$/, ""));
    if (!Number.isFinite(value) || !Number.isFinite(expected)) return false;
    return Math.abs(value - expected) <= Math.max(absolute, relative * Math.abs(expected));
  });
}

/** The target is a regular expression tested against the whole response (case-insensitive). */
export const regexScorer = anyTarget("regex", (_answer, target, input) => new RegExp(target, "i").test(input.response));

/** The whole response contains the target, case and spacing aside. */
export const includesScorer = anyTarget("includes", (_answer, target, input) => squash(input.response).includes(squash(target)));

function squash(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}
