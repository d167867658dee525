import type { AnswerCluster } from "../api/api-types.js";

/** Colours told apart at a glance, also by most colour-blind readers (Okabe–Ito); the largest cluster first. */
export const clusterColours = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#999999"];

/** The colour of each cluster, by index; past the palette's end every cluster is grey. */
export function clusterColour(index: number): string {
  return clusterColours[Math.min(index, clusterColours.length - 1)] as string;
}

/** Which cluster each sample run's answer fell in. */
export function clusterOfRun(clusters: AnswerCluster[] | null | undefined): Map<string, { index: number; cluster: AnswerCluster }> {
  const byRun = new Map<string, { index: number; cluster: AnswerCluster }>();
  for (const [index, cluster] of (clusters ?? []).entries()) for (const runId of cluster.run_ids) byRun.set(runId, { index, cluster });
  return byRun;
}
