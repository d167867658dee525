// Chooses the answer from the sampled clusters: by vote, by a verifier, by a judge's
// tournament or rubric scores (a verifier, when given, filters the entrants first), or by a
// synthesis run.
import type { Usage } from "../core/budget.js";
import type { RunError, RunStatus } from "../core/run.js";
import type { ModelClient } from "../models/model-client.js";
import type { AnswerCluster, Candidate } from "./answer-clusters.js";
import { wilsonInterval, type Interval } from "./confidence.js";
import { pairwiseJudge } from "./pairwise-judge.js";
import { rankByRubric, type RubricStanding } from "./rubric-judge.js";
import type { Sampled } from "./sampling.js";
import type { ChildOutcome, ChildRole } from "./strategy-events.js";
import type { StrategyRuns } from "./strategy-runs.js";
import { synthesisInstructions, synthesisPrompt } from "./synthesis.js";
import { rankByTournament, type TournamentFormat } from "./tournament.js";
import { verifyClusters, type Verifier, type VerifiedCluster } from "./verifier.js";

export type Selection = "vote" | "judge" | "synthesize" | "verify";

export type ClusterReport = { answer: string; key: string; count: number; share: number; runIds: string[]; representativeRunId: string };
export type RankedCandidate = {
  answer: string;
  runId: string;
  count: number;
  /** Tournament points, or the rubric total. */
  score: number;
  wins: number;
  losses: number;
  ties: number;
  reasons: string[];
  /** With a rubric: the score per criterion. */
  scores?: Record<string, number>;
  /** With a rubric: why the judge gave this candidate no score (it then ranks last). */
  failure?: string;
};
export type VerificationReport = { answer: string; runId: string; passed: boolean; reason?: string };

export type Selected = {
  /** The chosen answer: the winning sample's whole text, or the synthesis. */
  answer: string;
  method: Selection;
  /** The cluster the answer came from (absent for a synthesis or when nothing answered). */
  winner?: { answer: string; runIds: string[]; share: number; interval: Interval };
  /** The vote's confidence that the leading cluster is the most common answer. */
  confidence?: number;
  clusters: ClusterReport[];
  ranking?: RankedCandidate[];
  verifications?: VerificationReport[];
  synthesis?: { runId: string; outcome: ChildOutcome };
  samples: { launched: number; answered: number; retried: number; outcomes: Sampled["outcomes"] };
  /** A few lines for the parent run's log. */
  summary: string;
};

export type BestOfResult = Selected & {
  /** The parent run: `ponder show <runId>`. */
  runId: string;
  status: RunStatus;
  usage: Usage;
  children: { runId: string; role: ChildRole; index: number; status: RunStatus; outcome: ChildOutcome }[];
  budgetExhausted?: string;
  error?: RunError;
};

export type SelectionOptions = {
  question: string;
  method: Selection;
  sampled: Sampled;
  judge: ModelClient;
  verify?: Verifier;
  tournament: TournamentFormat;
  /** Judge by scoring each candidate against this rubric instead of a tournament. */
  rubric?: string;
  top: number;
  maxEntrants: number;
};

export async function selectAnswer(runs: StrategyRuns, options: SelectionOptions): Promise<Selected> {
  const { sampled, method } = options;
  const base = {
    method,
    ...(sampled.vote ? { confidence: sampled.vote.confidence } : {}),
    clusters: sampled.clusters.map(reportOf),
    samples: { launched: sampled.launched, answered: sampled.candidates.length, retried: sampled.retried, outcomes: sampled.outcomes },
  };
  const lines = [
    `${method} over ${sampled.summary}.`,
    ...sampled.clusters
      .slice(0, 10)
      .map((cluster) => `${(cluster.share * 100).toFixed(0)}% (${cluster.members.length}) ${cluster.representative.answer.slice(0, 100)}`),
  ];
  if (sampled.clusters.length === 0) return { ...base, answer: "", summary: lines.join("\n") };

  // A verifier beats any judge: only passing clusters go on, when any pass.
  const verified = options.verify ? await verifyClusters(sampled.clusters, options.verify, runs.signal) : undefined;
  const passing = verified?.filter((entry) => entry.verification.passed).map((entry) => entry.cluster) ?? [];
  const eligible = passing.length > 0 ? passing : sampled.clusters;
  const verifications = verified?.map(verificationReportOf);
  if (verified)
    lines.push(
      passing.length > 0
        ? `${passing.length} of ${verified.length} answers passed the verifier.`
        : "No answer passed the verifier; every answer stays eligible.",
    );
  const withVerifications = { ...base, ...(verifications ? { verifications } : {}) };

  if (method === "judge" && eligible.length > 1 && options.rubric !== undefined) {
    let judgeIndex = 0;
    const entrants = eligible.slice(0, options.maxEntrants);
    const standings = await rankByRubric(runs, entrants, {
      question: options.question,
      rubric: options.rubric,
      model: options.judge,
      nextIndex: () => judgeIndex++,
    });
    const ranking = standings.slice(0, options.top).map(rubricRankedOf);
    const first = (standings[0] as RubricStanding).cluster;
    const failures = standings.filter((standing) => standing.failure);
    lines.push(
      `The rubric judge ranked first: ${first.representative.answer.slice(0, 100)}`,
      ...standings.slice(0, 1).flatMap(rubricReasonsOf),
    );
    lines.push(
      ...failures.map(
        (standing) => `Not scored, ranked last: ${standing.cluster.representative.answer.slice(0, 60)} (${standing.failure})`,
      ),
    );
    return {
      ...withVerifications,
      answer: first.representative.text,
      winner: winnerOf(first, sampled),
      ranking,
      summary: lines.join("\n"),
    };
  }
  if (method === "judge" && eligible.length > 1) {
    let judgeIndex = 0;
    const compare = pairwiseJudge(runs, options.question, options.judge, () => judgeIndex++);
    const entrants = eligible.slice(0, options.maxEntrants);
    const standings = await rankByTournament(
      entrants.map((cluster) => cluster.representative),
      compare,
      options.tournament,
    );
    const ranking = standings.slice(0, options.top).map((standing) => rankedOf(standing.entrant, entrants, standing));
    const first = entrants.find((cluster) => cluster.representative === standings[0]?.entrant) as AnswerCluster;
    lines.push(
      `The judge's ${options.tournament} ranked first: ${first.representative.answer.slice(0, 100)}`,
      ...(standings[0]?.reasons ?? []),
    );
    return {
      ...withVerifications,
      answer: first.representative.text,
      winner: winnerOf(first, sampled),
      ranking,
      summary: lines.join("\n"),
    };
  }
  if (method === "synthesize") {
    const read = eligible.slice(0, Math.max(2, options.top));
    const child = await runs.run({
      role: "synthesis",
      index: 0,
      input: synthesisPrompt(options.question, read, sampled.candidates.length),
      model: options.judge,
      tools: [],
      instructions: synthesisInstructions,
    });
    const synthesis = { runId: child.runId, outcome: child.outcome };
    if (child.outcome === "answered") {
      lines.push(`Synthesis of the top ${read.length} answers: ${child.runId}.`);
      return { ...withVerifications, answer: child.record.result?.answer ?? "", synthesis, summary: lines.join("\n") };
    }
    // Without a synthesis the user still gets the best single answer.
    lines.push(`The synthesis run ${child.runId} ${child.outcome}; the vote decided.`);
    return {
      ...withVerifications,
      answer: (eligible[0] as AnswerCluster).representative.text,
      winner: winnerOf(eligible[0] as AnswerCluster, sampled),
      synthesis,
      summary: lines.join("\n"),
    };
  }
  const chosen = eligible[0] as AnswerCluster;
  lines.push(`Chosen: ${chosen.representative.answer.slice(0, 100)}`);
  return { ...withVerifications, answer: chosen.representative.text, winner: winnerOf(chosen, sampled), summary: lines.join("\n") };
}

function reportOf(cluster: AnswerCluster): ClusterReport {
  return {
    answer: cluster.representative.answer,
    key: cluster.key,
    count: cluster.members.length,
    share: cluster.share,
    runIds: cluster.members.map((member) => member.runId),
    representativeRunId: cluster.representative.runId,
  };
}

function winnerOf(cluster: AnswerCluster, sampled: Sampled): NonNullable<Selected["winner"]> {
  const votes = sampled.candidates.length;
  const interval = sampled.vote && sampled.vote.winner === cluster ? sampled.vote.interval : wilsonInterval(cluster.members.length, votes);
  return { answer: cluster.representative.answer, runIds: cluster.members.map((member) => member.runId), share: cluster.share, interval };
}

function rankedOf(
  candidate: Candidate,
  entrants: readonly AnswerCluster[],
  standing: { score: number; wins: number; losses: number; ties: number; reasons: string[] },
): RankedCandidate {
  const count = entrants.find((cluster) => cluster.representative === candidate)?.members.length ?? 1;
  return {
    answer: candidate.answer,
    runId: candidate.runId,
    count,
    score: standing.score,
    wins: standing.wins,
    losses: standing.losses,
    ties: standing.ties,
    reasons: standing.reasons,
  };
}

function rubricReasonsOf(standing: RubricStanding): string[] {
  return standing.score ? [`total ${standing.score.total}: ${standing.score.reasons}`] : [standing.failure ?? "not scored"];
}

function rubricRankedOf(standing: RubricStanding): RankedCandidate {
  const { cluster, score, failure } = standing;
  return {
    answer: cluster.representative.answer,
    runId: cluster.representative.runId,
    count: cluster.members.length,
    score: score?.total ?? 0,
    wins: 0,
    losses: 0,
    ties: 0,
    reasons: rubricReasonsOf(standing),
    ...(score ? { scores: score.scores } : {}),
    ...(failure ? { failure } : {}),
  };
}

function verificationReportOf({ cluster, verification }: VerifiedCluster): VerificationReport {
  return {
    answer: cluster.representative.answer,
    runId: cluster.representative.runId,
    passed: verification.passed,
    ...(verification.reason ? { reason: verification.reason } : {}),
  };
}
