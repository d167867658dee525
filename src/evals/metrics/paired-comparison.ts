// Two configs on the same items: the difference in accuracy, with a bootstrap confidence
// interval that resamples items (not samples), since epochs of one item are not independent.
// The generator is seeded, so the same results always give the same interval.
import { mean } from "./estimators.js";

export type PairedComparison = {
  a: string;
  b: string;
  /** Items both configs have scored samples for. */
  items: number;
  /** Mean over items of (A's pass rate − B's pass rate). */
  difference: number;
  interval: { lower: number; upper: number };
  /** Share of resamples where the difference has the opposite sign of the observed one (two-sided). */
  pValue: number;
};

/** `a` and `b` map item id → pass rates per item (passes / scored samples). */
export function pairedComparison(
  a: { id: string; rates: Map<string, number> },
  b: { id: string; rates: Map<string, number> },
  options: { resamples?: number; seed?: number; level?: number } = {},
): PairedComparison {
  const { resamples = 2000, seed = 1, level = 0.95 } = options;
  const differences = [...a.rates.keys()]
    .filter((item) => b.rates.has(item))
    .map((item) => (a.rates.get(item) as number) - (b.rates.get(item) as number));
  const observed = mean(differences);
  if (differences.length === 0)
    return { a: a.id, b: b.id, items: 0, difference: Number.NaN, interval: { lower: Number.NaN, upper: Number.NaN }, pValue: Number.NaN };
  const random = mulberry32(seed);
  const means: number[] = [];
  for (let round = 0; round < resamples; round++) {
    let sum = 0;
    for (let draw = 0; draw < differences.length; draw++) sum += differences[Math.floor(random() * differences.length)] as number;
    means.push(sum / differences.length);
  }
  means.sort((x, y) => x - y);
  const tail = (1 - level) / 2;
  const opposite = observed === 0 ? resamples : means.filter((value) => (observed > 0 ? value <= 0 : value >= 0)).length;
  return {
    a: a.id,
    b: b.id,
    items: differences.length,
    difference: observed,
    interval: { lower: quantile(means, tail), upper: quantile(means, 1 - tail) },
    pValue: Math.min(1, (2 * opposite) / resamples),
  };
}

function quantile(sorted: readonly number[], share: number): number {
  const position = (sorted.length - 1) * share;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (position - low);
}

/** A small seeded generator (mulberry32): reproducible intervals without a dependency. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
