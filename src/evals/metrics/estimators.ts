// Per-item estimators over n scored attempts of which c passed. Pure functions.

/**
 * Unbiased pass@k (Chen et al., 2021): the chance that at least one of k attempts drawn
 * without replacement from the n passes, 1 − C(n−c, k) / C(n, k), computed as a product so
 * large n does not overflow.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (k > n) throw new RangeError(`pass@${k} needs at least ${k} attempts, got ${n}`);
  if (n - c < k) return 1;
  let allFail = 1;
  for (let index = n - c + 1; index <= n; index++) allFail *= 1 - k / index;
  return 1 - allFail;
}

/** pass^k (tau-bench): the chance that k attempts drawn without replacement all pass, C(c, k) / C(n, k). */
export function passHatK(n: number, c: number, k: number): number {
  if (k > n) throw new RangeError(`pass^${k} needs at least ${k} attempts, got ${n}`);
  if (c < k) return 0;
  let allPass = 1;
  for (let index = 0; index < k; index++) allPass *= (c - index) / (n - index);
  return allPass;
}

export type Attempt = { answerKey?: string; passed: boolean };

/**
 * maj@k for one item: the most common answer among the first k attempts (ties: the one seen
 * first) is right when an attempt that gave it passed. Answer-less attempts do not vote.
 */
export function majorityCorrect(attempts: readonly Attempt[], k: number): boolean {
  const votes = new Map<string, { count: number; passed: boolean }>();
  for (const attempt of attempts.slice(0, k)) {
    if (attempt.answerKey === undefined) continue;
    const entry = votes.get(attempt.answerKey) ?? { count: 0, passed: false };
    votes.set(attempt.answerKey, { count: entry.count + 1, passed: entry.passed || attempt.passed });
  }
  let best: { count: number; passed: boolean } | undefined;
  for (const entry of votes.values()) if (!best || entry.count > best.count) best = entry;
  return best?.passed ?? false;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}
