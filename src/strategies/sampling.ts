// Takes the samples: a fixed number, or rounds until the vote is confident. Samples that
// failed for infrastructure reasons are retried and never vote.
import type { ModelClient } from "../models/model-client.js";
import { candidateOf, clusterAnswers, clusterByKey, type AnswerCluster, type Candidate } from "./answer-clusters.js";
import { firstRoundSize, nextRoundSize } from "./adaptive-stopping.js";
import { fanOut } from "./fan-out.js";
import { modelEquivalence } from "./model-equivalence.js";
import type { ChildOutcome } from "./strategy-events.js";
import type { ChildRun, StrategyRuns } from "./strategy-runs.js";
import { majorityVote, type VoteOutcome } from "./vote.js";

export type SamplingOptions = {
  question: string;
  model: ModelClient;
  concurrency: number;
  maxInfraRetries: number;
  extractAnswer: (text: string) => string;
  /** Set: free-text answers are clustered by asking this model. */
  equivalenceModel?: ModelClient;
  /**
   * The samples of an earlier attempt of this strategy (its process died): those that answered
   * vote and are not taken again; the others are reported with their outcome.
   */
  earlier?: ChildRun[];
} & ({ count: number } | { untilConfident: number; maxSamples: number });

export type Sampled = {
  candidates: Candidate[];
  clusters: AnswerCluster[];
  vote?: VoteOutcome;
  /** Sample slots started; a retried slot counts once. */
  launched: number;
  /** Child runs per outcome, retried attempts included. */
  outcomes: Partial<Record<ChildOutcome, number>>;
  retried: number;
  /** One line for reports: how many answered and why the others did not. */
  summary: string;
};

export async function collectSamples(runs: StrategyRuns, options: SamplingOptions): Promise<Sampled> {
  const samples: ChildRun[] = [...(options.earlier ?? [])];
  let equivalenceIndex = 0;
  const equivalent = options.equivalenceModel
    ? modelEquivalence(runs, options.question, options.equivalenceModel, () => equivalenceIndex++)
    : undefined;
  // New samples are numbered after the earlier attempt's, unfinished ones included.
  let launched = samples.reduce((next, child) => Math.max(next, child.index + 1), 0);
  let candidates: Candidate[] = [];
  let clusters: AnswerCluster[] = [];
  let vote: VoteOutcome | undefined;

  const sampleRound = async (size: number) => {
    const first = launched;
    const attempts: ChildRun[] = [];
    await fanOut(
      Math.max(0, size),
      async (offset) => {
        const child = await runs.run({ role: "sample", index: first + offset, input: options.question, model: options.model });
        attempts.push(child);
        return child;
      },
      {
        concurrency: options.concurrency,
        mayStart: () => runs.mayStart(),
        maxRetries: options.maxInfraRetries,
        shouldRetry: (child) => child.outcome === "infra_failed",
      },
    );
    // Launching stops early when the budget or the deadline runs out.
    launched = first + new Set(attempts.map((child) => child.index)).size;
    samples.push(...attempts.sort((a, b) => a.index - b.index));
    candidates = samples
      .filter((child) => child.outcome === "answered")
      .map((child) => candidateOf(child.runId, child.record.result?.answer ?? "", options.extractAnswer));
    clusters = equivalent ? await clusterAnswers(candidates, equivalent) : clusterByKey(candidates);
    vote = majorityVote(clusters);
    runs.emit({
      type: "distribution-updated",
      runId: runs.parentId,
      clusters: clusters.map((cluster) => ({ answer: cluster.representative.answer, count: cluster.members.length, share: cluster.share })),
      votes: candidates.length,
      ...(vote ? { confidence: vote.confidence } : {}),
    });
  };

  const reused = samples.filter((child) => child.outcome === "answered").length;
  if ("count" in options) {
    await sampleRound(options.count - reused);
  } else {
    // The first round always runs (with no new samples when the earlier ones fill it): it counts the votes.
    let size = Math.max(0, Math.min(firstRoundSize, options.maxSamples) - reused);
    for (let first = true; first || (size > 0 && runs.mayStart()); first = false) {
      await sampleRound(size);
      size = nextRoundSize({
        leaderVotes: clusters[0]?.members.length ?? 0,
        runnerUpVotes: clusters[1]?.members.length ?? 0,
        launched,
        maxSamples: options.maxSamples,
        threshold: options.untilConfident,
        concurrency: options.concurrency,
      });
    }
  }
  const outcomes: Partial<Record<ChildOutcome, number>> = {};
  for (const child of samples) outcomes[child.outcome] = (outcomes[child.outcome] ?? 0) + 1;
  const slots = new Set(samples.map((child) => child.index)).size;
  return {
    candidates,
    clusters,
    ...(vote ? { vote } : {}),
    launched: slots,
    outcomes,
    retried: samples.length - slots,
    summary: summaryOf(candidates.length, outcomes),
  };
}

function summaryOf(answered: number, outcomes: Partial<Record<ChildOutcome, number>>): string {
  const others = Object.entries(outcomes)
    .filter(([outcome]) => outcome !== "answered")
    .map(([outcome, count]) => `${count} ${outcome.replace("_", " ")}`);
  return `${answered} sample(s) answered${others.length ? `; runs excluded from the vote: ${others.join(", ")}` : ""}`;
}
