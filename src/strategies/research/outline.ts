// The writer's first turn: an outline that groups the verified notes into sections, as JSON
// checked with zod. Bad JSON gets one repair run; an outline that still cannot be used (or
// names only notes that do not exist) returns nothing, and the caller writes in a single pass.
import { z } from "zod";
import type { ModelClient } from "../../models/model-client.js";
import type { StrategyRuns } from "../strategy-runs.js";
import { parseJsonReply } from "../json-reply.js";
import { repairPrompt, type WriterNote } from "./research-prompts.js";
import { outlineInstructions, outlinePrompt } from "./writer-prompts.js";

export const outlineSchema = z.object({
  title: z.string().trim().min(1),
  sections: z
    .array(
      z.object({
        title: z.string().trim().min(1),
        /** Note numbers as the outline prompt shows them: N1 is 1. */
        notes: z.array(z.number().int().positive()).min(1),
      }),
    )
    .min(1),
});

export type Outline = z.infer<typeof outlineSchema>;

export type OutlineSection = { title: string; notes: WriterNote[] };

export type OutlineOutcome = { title: string; sections: OutlineSection[] } | undefined;

/** Sections per report length, so a page is not split into ten fragments. */
export const maximumSections = { brief: 2, page: 4, report: 8 } as const;

export async function outlineReport(
  runs: StrategyRuns,
  model: ModelClient,
  question: string,
  notes: readonly WriterNote[],
  sectionLimit: number,
): Promise<OutlineOutcome> {
  if (notes.length === 0 || !runs.mayStart()) return undefined;
  const input = outlinePrompt(question, notes, sectionLimit);
  const first = await runs.run({ role: "writer", index: 0, input, model, tools: [], instructions: outlineInstructions });
  const answer = first.record.result?.answer ?? "";
  let parsed = parseJsonReply(answer, outlineSchema);
  if (!parsed.ok && runs.mayStart()) {
    const repair = await runs.run({
      role: "writer",
      index: 0,
      input: `${input}\n\n${repairPrompt(answer, parsed.problem)}`,
      model,
      tools: [],
      instructions: outlineInstructions,
    });
    parsed = parseJsonReply(repair.record.result?.answer ?? "", outlineSchema);
  }
  return parsed.ok ? usableSections(parsed.value, notes, sectionLimit) : undefined;
}

/** Keeps the notes that exist, each in the first section naming it; drops sections left empty. */
function usableSections(outline: Outline, notes: readonly WriterNote[], sectionLimit: number): OutlineOutcome {
  const used = new Set<number>();
  const sections: OutlineSection[] = [];
  for (const section of outline.sections.slice(0, sectionLimit)) {
    const numbers = section.notes.filter((number) => number <= notes.length && !used.has(number));
    numbers.forEach((number) => used.add(number));
    const chosen = numbers.map((number) => notes[number - 1]).filter((note): note is WriterNote => note !== undefined);
    if (chosen.length > 0) sections.push({ title: section.title, notes: chosen });
  }
  return sections.length > 0 ? { title: outline.title, sections } : undefined;
}
