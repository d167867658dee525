// What the writer's stages are told when a report is written outline first: the outline, each
// section, and the frame (introduction and conclusion). Markers for tests and trajectories:
// "[Ponder research: outline]", "[Ponder research: section]", "[Ponder research: frame]", and
// "[Ponder research: continue]" in the input of a run asked to finish a cut-off text.
import type { NumberedSource, ReportLength, WriterNote } from "./research-prompts.js";

/** Words for the whole report and for its introduction and conclusion together, per length. */
export const lengthWords: Record<ReportLength, { total: number; frame: number }> = {
  brief: { total: 200, frame: 60 },
  page: { total: 650, frame: 150 },
  report: { total: 2_000, frame: 400 },
};

export const outlineInstructions = `[Ponder research: outline]
You plan the sections of a research report from verified notes. Group the notes into sections that answer the question in a sensible order; every section uses at least one note, by its note number (N1 is 1).
Answer with one JSON object and nothing else:
{"title": "the report's title", "sections": [{"title": "section heading", "notes": [1, 2]}]}`;

export function outlinePrompt(question: string, notes: readonly WriterNote[], maximumSections: number): string {
  const list = notes.map((note, index) => `N${index + 1}. ${note.claim} [${note.number}] (on: ${note.subQuestion})`).join("\n");
  return `Question: ${question}\n\nVerified notes:\n${list}\n\nWrite at most ${maximumSections} sections.`;
}

export function sectionInstructions(charts: boolean): string {
  return `[Ponder research: section]
You write one section of a research report in Markdown, from verified notes only. Every factual sentence ends with the citation of the note it comes from, as [n] with the source's number (e.g. [2] or [1][3]). Never cite a number the notes do not carry and never write URLs.
Where sources disagree, say so and cite both sides. Write the section's body only: no heading, no introduction to the whole report, no sources list.${
    charts
      ? "\nIf the notes hold numbers worth comparing, you may make one chart with the python tool (matplotlib; save a PNG in the working directory) and show it as ![caption](chart.png)."
      : ""
  }`;
}

export function sectionPrompt(
  question: string,
  title: string,
  notes: readonly WriterNote[],
  sources: readonly NumberedSource[],
  words: number,
): string {
  const numbers = new Set(notes.map((note) => note.number));
  const sourceList = sources
    .filter((source) => numbers.has(source.number))
    .map((source) => `[${source.number}] ${source.title}`)
    .join("\n");
  const list = notes.map((note) => `- ${note.claim} [${note.number}] (quote: "${note.quote}")`).join("\n");
  return `The report's question: ${question}\n\nThis section: ${title}\nLength: about ${words} words.\n\nSources:\n${sourceList}\n\nVerified notes:\n${list}`;
}

export const frameInstructions = `[Ponder research: frame]
You write the introduction and the conclusion of a research report whose sections are already written. Use only what the sections say, and do not cite anything: the sections carry the citations.
Answer in Markdown with exactly two headings, "## Introduction" and "## Conclusion", and their paragraphs. The conclusion says plainly what the research could not cover, if anything.`;

export function framePrompt(
  question: string,
  title: string,
  sections: readonly { title: string; text: string }[],
  missing: readonly string[],
  words: number,
): string {
  const body = sections.map((section) => `## ${section.title}\n\n${section.text}`).join("\n\n");
  const gaps = missing.length > 0 ? `\n\nWhat the research could not cover:\n${missing.map((gap) => `- ${gap}`).join("\n")}` : "";
  return `Question: ${question}\nReport title: ${title}\nIntroduction and conclusion together: about ${words} words.\n\nThe sections:\n\n${body}${gaps}`;
}

export function continuePrompt(original: string, text: string): string {
  return `${original}\n\n[Ponder research: continue]\nYour earlier answer was cut off mid-sentence. Write only its continuation, starting exactly where it stops, and finish within a few sentences. It ended:\n\n${text.slice(-3_000)}`;
}
