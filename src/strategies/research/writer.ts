// The writer: one child run that sees only verified notes, numbered by source, and writes the
// report. If the writer cannot answer (budget refused, provider down), the report is assembled
// from the notes themselves: a research run always ends with a report.
import type { ArtifactItem } from "../../core/items.js";
import type { ModelClient } from "../../models/model-client.js";
import type { RunStore } from "../../store/run-store.js";
import type { AnyTool } from "../../tools/tool.js";
import type { StrategyRuns } from "../strategy-runs.js";
import { writerInstructions, writerPrompt, type NumberedSource, type ReportLength, type WriterNote } from "./research-prompts.js";

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

export type WriterOutcome = { markdown: string; images: ArtifactItem[]; runId?: string; fellBack: boolean };

export async function writeReport(request: WriterRequest): Promise<WriterOutcome> {
  const { runs, store, model, question, length, notes, sources, missing, chartTools } = request;
  if (runs.mayStart()) {
    const child = await runs.run({ role: "writer", index: 0, input: writerPrompt(question, notes, sources, missing), model, tools: chartTools, instructions: writerInstructions(length, chartTools.length > 0) });
    const markdown = child.record.result?.answer.trim() ?? "";
    if (markdown) {
      const items = await store.listItems(child.runId);
      const images = items.flatMap(({ item }) => (item.type === "artifact" && item.media_type.startsWith("image/") ? [item] : []));
      return { markdown, images, runId: child.runId, fellBack: false };
    }
  }
  return { markdown: notesReport(question, notes, missing), images: [], fellBack: true };
}

/** A plain report made of the verified notes, for when no writer could write one. */
function notesReport(question: string, notes: readonly WriterNote[], missing: readonly string[]): string {
  const sections = new Map<string, WriterNote[]>();
  for (const note of notes) sections.set(note.subQuestion, [...(sections.get(note.subQuestion) ?? []), note]);
  const body = [...sections.entries()].map(([subQuestion, group]) => `## ${subQuestion}\n\n${group.map((note) => `- ${note.claim} [${note.number}]`).join("\n")}`).join("\n\n");
  const gaps = missing.length > 0 ? `\n\n## Not covered\n\n${missing.map((gap) => `- ${gap}`).join("\n")}` : "";
  return `# ${question}\n\n*The writer could not run (its budget or the model was unavailable), so this report lists the verified notes as the readers took them.*\n\n${body || "No verified notes were taken."}${gaps}`;
}
