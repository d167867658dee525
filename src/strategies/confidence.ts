// How sure a vote is. Pure functions.

/** z for a two-sided 95% interval. */
export const z95 = 1.959963984540054;

export type Interval = { lower: number; upper: number };

/**
 * The Wilson score interval of a share of `successes` out of `total`: unlike the normal
 * approximation it stays inside [0, 1] and is honest for the small samples a vote has.
 */
export function wilsonInterval(successes: number, total: number, z = z95): Interval {
  if (total <= 0) return { lower: 0, upper: 1 };
  const share = successes / total;
  const z2 = z * z;
  const centre = (share + z2 / (2 * total)) / (1 + z2 / total);
  const margin = (z / (1 + z2 / total)) * Math.sqrt((share * (1 - share)) / total + z2 / (4 * total * total));
  return { lower: Math.max(0, centre - margin), upper: Math.min(1, centre + margin) };
}

/**
 * The probability that the leading answer really is more common than the runner-up, given
 * their vote counts: P(p > 1/2) for p ~ Beta(leader + 1, runnerUp + 1), the stopping rule of
 * Adaptive-Consistency (Aggarwal et al., 2023). Three agreeing samples give 0.94; an even
 * split gives 0.5 however many samples there are, so disagreement keeps sampling.
 */
export function leaderConfidence(leaderVotes: number, runnerUpVotes: number): number {
  // For integer parameters, P(Beta(a, b) > 1/2) = P(Binomial(a + b - 1, 1/2) <= a - 1).
  const a = leaderVotes + 1;
  const trials = leaderVotes + runnerUpVotes + 1;
  let logTerm = trials * Math.log(0.5);
  let logSum = logTerm;
  for (let successes = 1; successes <= a - 1; successes++) {
    logTerm += Math.log((trials - successes + 1) / successes);
    logSum = logAddExp(logSum, logTerm);
  }
  return Math.min(1, Math.exp(logSum));
}

function logAddExp(x: number, y: number): number {
  const larger = Math.max(x, y);
  return larger + Math.log(Math.exp(x - larger) + Math.exp(y - larger));
}
