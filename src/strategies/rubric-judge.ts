// Judging by a rubric: the judge model scores each cluster representative on its own, in a
// child run per candidate, against the rubric's criteria, and candidates rank by total. One
// candidate per call means no position bias; every call gets the same instructions, rubric text
// and model settings so that the scores stay on one scale as far as the judge allows.
import { z } from "zod";
import type { ModelClient } from "../models/model-client.js";
import type { AnswerCluster } from "./answer-clusters.js";
import type { StrategyRuns } from "./strategy-runs.js";
import { parseJsonReply } from "./json-reply.js";

export const rubricInstructions = `You grade one answer to a question against a rubric. Score each criterion from 0 (not met at all) to 10 (fully met).
Judge the substance, not the length or the style. Other answers are graded separately with the same rubric, so use the whole scale as the rubric defines it.
Reply with only this JSON object and nothing else:
{"scores": {"<criterion>": <0-10>, ...}, "total": <the sum of the scores>, "reasons": "<one or two sentences saying why>"}`;

const rubricReplySchema = z.object({
  scores: z.record(z.string(), z.number().min(0).max(10)),
  total: z.number().finite(),
  reasons: z.string(),
});

export type RubricScore = z.infer<typeof rubricReplySchema>;

/** A rubric's criteria: its bullet or numbered lines, named by the text before a colon; a rubric without any is one criterion. */
export function criteriaOf(rubric: string): string[] {
  const names = rubric
    .split("\n")
    .map((line) => /^\s*(?:[-*+•]|\d+[.)])\s+(.+)$/.exec(line)?.[1]?.trim())
    .filter((text): text is string => Boolean(text))
    .map((text) => (text.split(/:\s|\s[—–]\s/)[0] ?? text).replace(/\*\*/g, "").trim());
  const unique = [...new Set(names.filter(Boolean))];
  return unique.length > 0 ? unique : ["overall"];
}

export function rubricPrompt(question: string, rubric: string, criteria: readonly string[], answer: string): string {
  return `Question:\n${question}\n\n<rubric>\n${rubric.trim()}\n</rubric>\n\nScore these criteria, with exactly these names: ${JSON.stringify(criteria)}\n\n<candidate_answer>\n${answer}\n</candidate_answer>\n\nGrade the answer against the rubric.`;
}

function repairPrompt(prompt: string, reply: string, problem: string): string {
  return `${prompt}\n\nAn earlier reply to this could not be read (${problem}):\n<earlier_reply>\n${reply}\n</earlier_reply>\n\nReply again with only the JSON object.`;
}

/** The score in a judge's reply, or what is wrong with the reply. A JSON object inside prose or a code fence is read too. */
export function parseRubricReply(text: string, criteria: readonly string[]): { score: RubricScore } | { problem: string } {
  const reply = parseJsonReply(text, rubricReplySchema);
  if (!reply.ok) return { problem: reply.problem };
  const missing = criteria.filter((criterion) => !(criterion in reply.value.scores));
  if (missing.length > 0) return { problem: `no score for ${missing.map((name) => JSON.stringify(name)).join(", ")}` };
  return { score: reply.value };
}

/** A cluster's place in the rubric ranking: its score, or why the judge could not give one. */
export type RubricStanding = { cluster: AnswerCluster; score?: RubricScore; failure?: string; judgeRunIds: string[] };

export type RubricJudgeOptions = { question: string; rubric: string; model: ModelClient; nextIndex: () => number };

/** Scores every cluster's representative at once and returns them best first: by total, then larger cluster; unscored last. */
export async function rankByRubric(
  runs: StrategyRuns,
  clusters: readonly AnswerCluster[],
  options: RubricJudgeOptions,
): Promise<RubricStanding[]> {
  const criteria = criteriaOf(options.rubric);
  const standings = await Promise.all(clusters.map((cluster) => scoreCluster(runs, cluster, criteria, options)));
  const totalOf = (standing: RubricStanding) => standing.score?.total ?? Number.NEGATIVE_INFINITY;
  // Array.prototype.sort is stable: equal totals and sizes keep the clusters' order (largest, then first seen).
  return standings.sort((a, b) => totalOf(b) - totalOf(a) || b.cluster.members.length - a.cluster.members.length);
}

async function scoreCluster(
  runs: StrategyRuns,
  cluster: AnswerCluster,
  criteria: readonly string[],
  options: RubricJudgeOptions,
): Promise<RubricStanding> {
  const prompt = rubricPrompt(options.question, options.rubric, criteria, cluster.representative.text);
  const ask = (input: string) =>
    runs.run({ role: "judge", index: options.nextIndex(), input, model: options.model, tools: [], instructions: rubricInstructions });
  const first = await ask(prompt);
  // A judge run that failed has no opinion: the candidate ranks last, and the others are still judged.
  if (first.outcome !== "answered")
    return { cluster, failure: `the judge run ${first.runId} ${first.outcome}`, judgeRunIds: [first.runId] };
  const reply = first.record.result?.answer ?? "";
  const parsed = parseRubricReply(reply, criteria);
  if ("score" in parsed) return { cluster, score: parsed.score, judgeRunIds: [first.runId] };
  // One repair: the judge sees its reply and what was wrong with it.
  const repair = await ask(repairPrompt(prompt, reply, parsed.problem));
  const judgeRunIds = [first.runId, repair.runId];
  if (repair.outcome !== "answered")
    return {
      cluster,
      failure: `the judge's reply was unreadable (${parsed.problem}) and its repair run ${repair.runId} ${repair.outcome}`,
      judgeRunIds,
    };
  const repaired = parseRubricReply(repair.record.result?.answer ?? "", criteria);
  return "score" in repaired
    ? { cluster, score: repaired.score, judgeRunIds }
    : { cluster, failure: `the judge's reply was unreadable twice (${repaired.problem})`, judgeRunIds };
}
