// Samples that give the same answer are grouped into clusters. Short answers (numbers, names)
// are the same when their normalised keys are equal; free text also asks an equivalence check
// (a model, in the strategy) against each cluster's representative.
import { isShortAnswer, normaliseAnswer } from "./answer-extraction.js";

/** One sample's answer. */
export type Candidate = {
  runId: string;
  /** The sample's whole final text. */
  text: string;
  /** Its extracted final answer. */
  answer: string;
  /** The normalised answer. */
  key: string;
};

export type AnswerCluster = {
  key: string;
  /** The first member: what the cluster is shown as. */
  representative: Candidate;
  members: Candidate[];
  /** members / all clustered candidates. */
  share: number;
};

/** Whether two free-text answers say the same thing. */
export type EquivalenceCheck = (first: Candidate, second: Candidate) => Promise<boolean>;

export function candidateOf(runId: string, text: string, extract: (text: string) => string): Candidate {
  const answer = extract(text);
  return { runId, text, answer, key: normaliseAnswer(answer) };
}

/**
 * Groups candidates, largest cluster first (ties: the cluster seen first). Equal keys always
 * join; two free-text answers join when `equivalent` says so.
 */
export async function clusterAnswers(candidates: readonly Candidate[], equivalent?: EquivalenceCheck): Promise<AnswerCluster[]> {
  const clusters: AnswerCluster[] = [];
  const byKey = new Map<string, AnswerCluster>();
  for (const candidate of candidates) {
    let cluster = byKey.get(candidate.key);
    if (!cluster && equivalent && !isShortAnswer(candidate.key)) {
      for (const existing of clusters) {
        if (isShortAnswer(existing.key)) continue;
        if (await equivalent(existing.representative, candidate)) {
          cluster = existing;
          break;
        }
      }
    }
    if (!cluster) {
      cluster = { key: candidate.key, representative: candidate, members: [], share: 0 };
      clusters.push(cluster);
    }
    byKey.set(candidate.key, cluster);
    cluster.members.push(candidate);
  }
  return withShares(clusters, candidates.length);
}

/** Clusters by normalised key alone: no model involved. */
export function clusterByKey(candidates: readonly Candidate[]): AnswerCluster[] {
  const byKey = new Map<string, AnswerCluster>();
  for (const candidate of candidates) {
    const cluster = byKey.get(candidate.key) ?? { key: candidate.key, representative: candidate, members: [], share: 0 };
    cluster.members.push(candidate);
    byKey.set(candidate.key, cluster);
  }
  return withShares([...byKey.values()], candidates.length);
}

function withShares(clusters: AnswerCluster[], total: number): AnswerCluster[] {
  const ordered = clusters.map((cluster, index) => ({ cluster, index }));
  // Stable: among equal sizes, the cluster that appeared first leads.
  ordered.sort((a, b) => b.cluster.members.length - a.cluster.members.length || a.index - b.index);
  return ordered.map(({ cluster }) => ({ ...cluster, share: total === 0 ? 0 : cluster.members.length / total }));
}

/**
 * Remembers equivalence verdicts by the (unordered) pair of answers, so the same pair is never
 * asked twice, even when it turns up again through another sample.
 */
export function cachedEquivalence(check: EquivalenceCheck): EquivalenceCheck {
  const verdicts = new Map<string, Promise<boolean>>();
  return (first, second) => {
    const pair = [first.key, second.key].sort().join("\u0000");
    let verdict = verdicts.get(pair);
    if (!verdict) {
      verdict = check(first, second);
      verdicts.set(pair, verdict);
    }
    return verdict;
  };
}
