// Scores a free-text reply by the number it gives as its result: the first number after "=",
// "is" or "equals", else the last number. A 135M model rarely keeps to an answer format
// ("9 * 6 = 54" followed by chatter is its usual way of answering), so the scorer reads what it
// says rather than a format it does not follow. scaling-curve.ts votes on the same number.
// Use: ponder eval ... --scorer module:dist/bench/scaling/answer-number-scorer.js
import type { Score, ScoreInput } from "../../src/evals/scorers/scorer.js";

export function answerNumber(text: string): number | undefined {
  const plain = text.replace(/(\d),(\d{3})/g, "$1$2");
  const stated = /(?:=|\bis\b|\bequals\b)\s*(-?\d+(?:\.\d+)?)/i.exec(plain);
  if (stated) return Number(stated[1]);
  const numbers = plain.match(/-?\d+(?:\.\d+)?/g);
  return numbers ? Number(numbers[numbers.length - 1]) : undefined;
}

export default function score({ response, item }: Pick<ScoreInput, "response" | "item">): Score {
  const value = answerNumber(response);
  const target = Number(item.target);
  return value === target
    ? { passed: true, reason: `answered ${value}` }
    : { passed: false, reason: `answered ${value ?? "no number"}, not ${target}` };
}
