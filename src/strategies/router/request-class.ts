// What the router's classification run must answer: one JSON object naming the request's class
// and why. The reply is validated with zod; a reply that is not valid JSON of this shape gets
// one repair run (see classify-request.ts).
import { z } from "zod";
import { parseJsonReply, type JsonReply } from "../json-reply.js";

export const requestClasses = ["trivial", "needs_tools", "hard"] as const;
export type RequestClass = (typeof requestClasses)[number];

export const classificationSchema = z.object({
  class: z.enum(requestClasses),
  reason: z.string().trim().min(1).max(500),
});
export type Classification = z.infer<typeof classificationSchema>;

export const classifierInstructions = `You are the first pass of a reasoning harness. Before any work is done, you decide how much work a request needs.
Classes:
- trivial: answerable at once from general knowledge or simple mental arithmetic; no tools, no long thought.
- needs_tools: needs computation, code, data, files, images or looking something up, but the path is clear.
- hard: multi-step reasoning where a careful solver could still be wrong (proofs, tricky puzzles, open-ended analysis); worth several independent attempts.
Reply with only one JSON object and nothing else: {"class": "trivial" | "needs_tools" | "hard", "reason": "<one sentence>"}`;

export function classificationPrompt(question: string): string {
  return `<request>\n${question}\n</request>\n\nClassify this request.`;
}

export function repairPrompt(question: string, badReply: string, problem: string): string {
  return `${classificationPrompt(question)}\n\nYour previous reply could not be used (${problem}):\n<previous_reply>\n${badReply.slice(0, 2_000)}\n</previous_reply>\n\nReply again with only the JSON object.`;
}

/** The classification in a reply, validated. */
export function parseClassification(text: string): JsonReply<Classification> {
  return parseJsonReply(text, classificationSchema);
}
