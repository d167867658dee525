// A reader: one child run per sub-question with the search and reading tools, ending with a
// NOTES: JSON block. The notes are taken at their word here and checked against the ledger
// later; a reader whose notes do not parse contributes its sources but no notes.
import type { ModelClient } from "../../models/model-client.js";
import type { AnyTool } from "../../tools/tool.js";
import type { ChildRun, StrategyRuns } from "../strategy-runs.js";
import { parseJsonReply } from "../json-reply.js";
import { readerInstructions, readerPrompt } from "./research-prompts.js";
import { readerNotesSchema, type Plan, type ReaderNotes } from "./research-schemas.js";

export type ReaderOutcome = {
  subQuestion: string;
  child?: ChildRun;
  notes: ReaderNotes;
  /** Why the notes could not be read, when they could not. */
  notesError?: string;
};

export type ReaderRequest = {
  runs: StrategyRuns;
  model: ModelClient;
  tools: AnyTool[];
  question: string;
  subQuestion: Plan["sub_questions"][number];
  index: number;
  maxSteps: number;
};

export async function readSubQuestion(request: ReaderRequest): Promise<ReaderOutcome> {
  const { runs, model, tools, question, subQuestion, index, maxSteps } = request;
  const child = await runs.run({
    role: "reader",
    index,
    input: readerPrompt(question, subQuestion),
    model,
    tools,
    instructions: readerInstructions,
    budget: { maxSteps },
  });
  const answer = child.record.result?.answer ?? "";
  const parsed = parseJsonReply(answer, readerNotesSchema, "NOTES:");
  const empty: ReaderNotes = { notes: [], follow_up: [], missing: "" };
  if (parsed.ok) return { subQuestion: subQuestion.question, child, notes: parsed.value };
  return {
    subQuestion: subQuestion.question,
    child,
    notes: empty,
    notesError: answer ? parsed.problem : `the reader ended ${child.outcome} without an answer`,
  };
}
