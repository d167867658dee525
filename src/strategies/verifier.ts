// A verifier is an executable check of a candidate (tests, a checker script). When one is
// given it beats any judge: a candidate that passes outranks every candidate that does not.
import type { AnswerCluster, Candidate } from "./answer-clusters.js";

export type Verification = { passed: boolean; reason?: string };

/** The user's check of one candidate. */
export type Verifier = (candidate: Candidate, context: { signal: AbortSignal }) => Promise<boolean | Verification>;

export type VerifiedCluster = { cluster: AnswerCluster; verification: Verification };

/** Checks each cluster's representative, largest cluster first, a few at a time. A verifier that throws fails the candidate. */
export async function verifyClusters(
  clusters: readonly AnswerCluster[],
  verify: Verifier,
  signal: AbortSignal,
  concurrency = 4,
): Promise<VerifiedCluster[]> {
  const results: VerifiedCluster[] = new Array(clusters.length);
  let next = 0;
  const worker = async () => {
    while (next < clusters.length && !signal.aborted) {
      const index = next++;
      const cluster = clusters[index] as AnswerCluster;
      results[index] = { cluster, verification: await verifyOne(cluster.representative, verify, signal) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, clusters.length) }, worker));
  return results.filter(Boolean);
}

async function verifyOne(candidate: Candidate, verify: Verifier, signal: AbortSignal): Promise<Verification> {
  try {
    const outcome = await verify(candidate, { signal });
    return typeof outcome === "boolean" ? { passed: outcome } : outcome;
  } catch (error) {
    return { passed: false, reason: `the verifier failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
