// "Think until sure": sample in rounds and stop once the vote is confident enough. Pure functions.
import { leaderConfidence } from "./confidence.js";

export type AdaptiveState = {
  /** Votes of the leading answer and of the runner-up. */
  leaderVotes: number;
  runnerUpVotes: number;
  /** Samples started so far, failed ones included: they spent budget too. */
  launched: number;
  maxSamples: number;
  threshold: number;
  concurrency: number;
};

/** The first round: two samples, the fewest that can agree. */
export const firstRoundSize = 2;

export function isConfident(state: Pick<AdaptiveState, "leaderVotes" | "runnerUpVotes" | "threshold">): boolean {
  return state.leaderVotes > 0 && leaderConfidence(state.leaderVotes, state.runnerUpVotes) >= state.threshold;
}

/**
 * How many samples the next round takes: the fewest that could make the vote confident if they
 * all agreed with the leader (so an easy question stops after two or three samples), at least
 * one and at most the concurrency and what is left; 0 when it should stop.
 */
export function nextRoundSize(state: AdaptiveState): number {
  const left = state.maxSamples - state.launched;
  if (left <= 0 || isConfident(state)) return 0;
  let needed = 1;
  while (needed < left && needed < state.concurrency && leaderConfidence(state.leaderVotes + needed, state.runnerUpVotes) < state.threshold)
    needed++;
  return Math.min(needed, left, state.concurrency);
}
