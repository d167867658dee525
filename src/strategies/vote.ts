// Majority vote (maj@k): the largest cluster wins.
import type { AnswerCluster } from "./answer-clusters.js";
import { leaderConfidence, wilsonInterval, type Interval } from "./confidence.js";

export type VoteOutcome = {
  winner: AnswerCluster;
  /** The winner's share of the votes. */
  share: number;
  /** 95% Wilson interval of that share. */
  interval: Interval;
  /** The probability that the winner is more common than the runner-up (see leaderConfidence). */
  confidence: number;
  /** Votes cast: the clustered samples. */
  votes: number;
  /** True when another cluster has as many votes; the winner is then the one seen first. */
  tied: boolean;
};

/** The vote over clusters ordered largest first (as clusterAnswers returns them); undefined without votes. */
export function majorityVote(clusters: readonly AnswerCluster[]): VoteOutcome | undefined {
  const [winner, runnerUp] = clusters;
  if (!winner) return undefined;
  const votes = clusters.reduce((sum, cluster) => sum + cluster.members.length, 0);
  const winnerVotes = winner.members.length;
  const runnerUpVotes = runnerUp?.members.length ?? 0;
  return {
    winner,
    share: winnerVotes / votes,
    interval: wilsonInterval(winnerVotes, votes),
    confidence: leaderConfidence(winnerVotes, runnerUpVotes),
    votes,
    tied: runnerUpVotes === winnerVotes,
  };
}
