// OpenAI-style `url_citation` annotations for the final report: one per [n] marker in the
// checked report text, pointing at the source the number stands for. Only numbers of verified,
// read sources survive the report check, so every annotation's URL is a page that was read.
import type { NumberedSource } from "./research-prompts.js";

/** Indices are JavaScript string (UTF-16) offsets into the Markdown report; end_index is exclusive. */
export type UrlCitation = { type: "url_citation"; start_index: number; end_index: number; url: string; title: string };

/** Annotations for the citation markers in `markdown` (the report before its sources list). */
export function urlCitations(markdown: string, sources: readonly NumberedSource[]): UrlCitation[] {
  const numbers = new Map(sources.map((source) => [source.number, source]));
  const annotations: UrlCitation[] = [];
  // The same marker shape the report check keeps: [n] not followed by a link target.
  for (const match of markdown.matchAll(/\[(\d+)\](?!\()/g)) {
    const source = numbers.get(Number(match[1]));
    if (!source) continue;
    annotations.push({
      type: "url_citation",
      start_index: match.index,
      end_index: match.index + match[0].length,
      url: source.url,
      title: source.title || source.url,
    });
  }
  return annotations;
}
