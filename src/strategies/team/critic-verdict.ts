// What the critic must answer: approve, or revise with reasons the solver can act on. The
// reply is JSON validated with zod; an invalid reply gets one repair run (see team.ts).
import { z } from "zod";
import { parseJsonReply, type JsonReply } from "../json-reply.js";

export const verdictSchema = z
  .object({
    verdict: z.enum(["approve", "revise"]),
    reasons: z.array(z.string().trim().min(1).max(1_000)).max(10),
  })
  .refine((value) => value.verdict === "approve" || value.reasons.length > 0, {
    message: "a revise verdict needs at least one reason",
    path: ["reasons"],
  });
export type CriticVerdict = z.infer<typeof verdictSchema>;

export const criticInstructions = `You are the critic in a team: a solver answered a question, with tools where it needed them. Check the answer against the question and against the tool evidence (what the solver ran and what came back).
Approve only when the answer is correct, complete and supported by the evidence or by sound reasoning. Otherwise ask for a revision, with concrete reasons the solver can act on (what is wrong or missing, what to check).
Reply with only one JSON object and nothing else: {"verdict": "approve" | "revise", "reasons": ["<reason>", ...]}`;

export function criticPrompt(question: string, answer: string, evidence: string, round: number): string {
  return `Question:\n${question}\n\n<solver_answer round="${round}">\n${answer}\n</solver_answer>\n\n<tool_evidence>\n${evidence}\n</tool_evidence>\n\nReview the answer.`;
}

export function criticRepairPrompt(reviewPrompt: string, badReply: string, problem: string): string {
  return `${reviewPrompt}\n\nYour previous review could not be used (${problem}):\n<previous_reply>\n${badReply.slice(0, 2_000)}\n</previous_reply>\n\nReply again with only the JSON object.`;
}

export function parseVerdict(text: string): JsonReply<CriticVerdict> {
  return parseJsonReply(text, verdictSchema);
}
