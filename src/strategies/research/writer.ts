// The writer. For a page or a report: an outline first, then each section by its own run, then
// the introduction and conclusion. For a brief answer (or when no usable outline comes back):
// one writer run for the whole report. If no writer can answer (budget refused, provider down),
// the report is assembled from the notes themselves: a research run always ends with a report.
// Every text is checked for being cut off mid-sentence.
import type { ArtifactItem } from "../../core/items.js";
import type { ModelClient } from "../../models/model-client.js";
import type { RunStore } from "../../store/run-store.js";
import type { AnyTool } from "../../tools/tool.js";
import type { StrategyRuns } from "../strategy-runs.js";
import { completeText } from "./complete-text.js";
import { maximumSections, outlineReport } from "./outline.js";
import { writerInstructions, writerPrompt, type NumberedSource, type ReportLength, type WriterNote } from "./research-prompts.js";
import { imagesOf, notesList, writeInSections } from "./sectioned-writer.js";

export type WriterRequest = {
  runs: StrategyRuns;
  store: RunStore;
  model: ModelClient;
  question: string;
  length: ReportLength;
  notes: readonly WriterNote[];
  sources: readonly NumberedSource[];
  missing: readonly string[];
  /** The python tool, for charts; none means no charts. */
  chartTools: AnyTool[];
};

export type WriterOutcome = {
  markdown: string;
  images: ArtifactItem[];
  fellBack: boolean;
  /** Outline and sections, one writer run, or the notes listed (no writer answered). */
  mode: "sections" | "single" | "notes";
  /** Texts that were cut off and continued, and those still cut off and trimmed. */
  continued: number;
  trimmed: number;
};

export async function writeReport(request: WriterRequest): Promise<WriterOutcome> {
  const { runs, model, question, length, notes } = request;
  if (length !== "brief") {
    const outline = await outlineReport(runs, model, question, notes, maximumSections[length]);
    const sectioned = outline && (await writeInSections(request, outline.title, outline.sections));
    if (sectioned) return sectioned;
  }
  return (
    (await writeSinglePass(request)) ?? {
      markdown: notesReport(question, notes, request.missing),
      images: [],
      fellBack: true,
      mode: "notes",
      continued: 0,
      trimmed: 0,
    }
  );
}

async function writeSinglePass(request: WriterRequest): Promise<WriterOutcome | undefined> {
  const { runs, store, model, question, length, notes, sources, missing, chartTools } = request;
  if (!runs.mayStart()) return undefined;
  const input = writerPrompt(question, notes, sources, missing);
  const instructions = writerInstructions(length, chartTools.length > 0);
  const child = await runs.run({ role: "writer", index: 0, input, model, tools: chartTools, instructions });
  const markdown = child.record.result?.answer.trim() ?? "";
  if (!markdown) return undefined;
  const completion = await completeText({ runs, store, model, child, input, instructions, tools: chartTools, index: 0 }, markdown);
  return {
    markdown: completion.text,
    images: await imagesOf(store, [child.runId, ...completion.runIds]),
    fellBack: false,
    mode: "single",
    continued: completion.continued ? 1 : 0,
    trimmed: completion.trimmed ? 1 : 0,
  };
}

/** A plain report made of the verified notes, for when no writer could write one. */
function notesReport(question: string, notes: readonly WriterNote[], missing: readonly string[]): string {
  const sections = new Map<string, WriterNote[]>();
  for (const note of notes) sections.set(note.subQuestion, [...(sections.get(note.subQuestion) ?? []), note]);
  const body = [...sections.entries()].map(([subQuestion, group]) => `## ${subQuestion}\n\n${notesList(group)}`).join("\n\n");
  const gaps = missing.length > 0 ? `\n\n## Not covered\n\n${missing.map((gap) => `- ${gap}`).join("\n")}` : "";
  return `# ${question}\n\n*The writer could not run (its budget or the model was unavailable), so this report lists the verified notes as the readers took them.*\n\n${body || "No verified notes were taken."}${gaps}`;
}
