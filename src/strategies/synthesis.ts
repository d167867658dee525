// One more run reads the top candidates and writes a combined answer that says where they
// agreed and where they disagreed.
import type { AnswerCluster } from "./answer-clusters.js";

export const synthesisInstructions = `You receive a question and several candidate answers written independently, with how many of the samples gave each.
Write the single best answer to the question, using what is right in each candidate and correcting what is wrong.
After the answer, add two short sections:
Agreed: what the candidates agreed on.
Disagreed: where they differed, and which side you took and why.`;

export function synthesisPrompt(question: string, clusters: readonly AnswerCluster[], total: number): string {
  const candidates = clusters
    .map(
      (cluster, index) =>
        `<candidate number="${index + 1}" samples="${cluster.members.length} of ${total}">\n${cluster.representative.text}\n</candidate>`,
    )
    .join("\n\n");
  return `Question:\n${question}\n\n${candidates}\n\nWrite the combined answer.`;
}
