// Writing from an outline: every section is its own writer run, all started at once (the shared
// model gate keeps them within the provider's rate limits), then a frame run writes the
// introduction and conclusion around them. A section whose run gives nothing keeps its verified
// notes as a list, so no verified claim is lost to one failed run.
import type { ArtifactItem } from "../../core/items.js";
import type { RunStore } from "../../store/run-store.js";
import { completeText, type Completion } from "./complete-text.js";
import type { OutlineSection } from "./outline.js";
import type { WriterNote } from "./research-prompts.js";
import type { WriterOutcome, WriterRequest } from "./writer.js";
import { framePrompt, frameInstructions, lengthWords, sectionInstructions, sectionPrompt } from "./writer-prompts.js";

/** Below this a section has no room for more than a sentence or two. */
const minimumSectionWords = 80;

type WrittenSection = { title: string; text: string; completion?: Completion; runIds: string[] };

export async function writeInSections(
  request: WriterRequest,
  title: string,
  outline: readonly OutlineSection[],
): Promise<WriterOutcome | undefined> {
  const { runs, store, model, question, length, sources, missing, chartTools } = request;
  const words = lengthWords[length];
  const sectionWords = Math.max(minimumSectionWords, Math.round((words.total - words.frame) / outline.length));
  const instructions = sectionInstructions(chartTools.length > 0);
  const sections = await Promise.all(
    outline.map(async (section, position): Promise<WrittenSection> => {
      if (!runs.mayStart()) return { title: section.title, text: notesList(section.notes), runIds: [] };
      const input = sectionPrompt(question, section.title, section.notes, sources, sectionWords);
      const index = position + 1;
      const child = await runs.run({ role: "writer", index, input, model, tools: chartTools, instructions });
      const text = withoutLeadingHeading(child.record.result?.answer ?? "");
      if (!text) return { title: section.title, text: notesList(section.notes), runIds: [child.runId] };
      const completion = await completeText({ runs, store, model, child, input, instructions, tools: chartTools, index }, text);
      return { title: section.title, text: completion.text, completion, runIds: [child.runId, ...completion.runIds] };
    }),
  );
  if (sections.every((section) => !section.completion)) return undefined;

  const frame = await writeFrame(request, title, sections, words.frame);
  const gaps = !frame && missing.length > 0 ? [`## Not covered\n\n${missing.map((gap) => `- ${gap}`).join("\n")}`] : [];
  const parts = [
    `# ${title}`,
    ...(frame?.introduction ? [frame.introduction] : []),
    ...sections.map((section) => `## ${section.title}\n\n${section.text}`),
    ...(frame?.conclusion ? [`## Conclusion\n\n${frame.conclusion}`] : []),
    ...gaps,
  ];
  const completions = [
    ...sections.flatMap((section) => (section.completion ? [section.completion] : [])),
    ...(frame ? [frame.completion] : []),
  ];
  return {
    markdown: parts.join("\n\n"),
    images: await imagesOf(
      store,
      sections.flatMap((section) => section.runIds),
    ),
    fellBack: false,
    mode: "sections",
    continued: completions.filter((completion) => completion.continued).length,
    trimmed: completions.filter((completion) => completion.trimmed).length,
  };
}

type Frame = { introduction: string; conclusion: string; completion: Completion };

async function writeFrame(
  request: WriterRequest,
  title: string,
  sections: readonly WrittenSection[],
  words: number,
): Promise<Frame | undefined> {
  const { runs, store, model, question, missing } = request;
  if (!runs.mayStart()) return undefined;
  const input = framePrompt(question, title, sections, missing, words);
  const index = sections.length + 1;
  const child = await runs.run({ role: "writer", index, input, model, tools: [], instructions: frameInstructions });
  const answer = child.record.result?.answer.trim() ?? "";
  if (!answer) return undefined;
  const completion = await completeText({ runs, store, model, child, input, instructions: frameInstructions, tools: [], index }, answer);
  const [introduction = "", conclusion = ""] = completion.text.split(/^##\s+Conclusion\s*$/im);
  return { introduction: introduction.replace(/^##\s+Introduction\s*$/im, "").trim(), conclusion: conclusion.trim(), completion };
}

/** Images (chart artifacts) the given writer runs made. */
export async function imagesOf(store: RunStore, runIds: readonly string[]): Promise<ArtifactItem[]> {
  const images: ArtifactItem[] = [];
  for (const runId of runIds) {
    for (const { item } of await store.listItems(runId))
      if (item.type === "artifact" && item.media_type.startsWith("image/")) images.push(item);
  }
  return images;
}

export function notesList(notes: readonly WriterNote[]): string {
  return notes.map((note) => `- ${note.claim} [${note.number}]`).join("\n");
}

/** Section runs are told not to write a heading; one that does would duplicate the outline's. */
function withoutLeadingHeading(text: string): string {
  return text
    .trim()
    .replace(/^#{1,6}\s+[^\n]*\n+/, "")
    .trim();
}
