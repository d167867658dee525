// Finds where a query occurs in a long text and returns short passages around each hit with the
// page they are on. The exact phrase is tried first (case-insensitive, any whitespace between
// words); if it never occurs, paragraphs holding all of the query's words are returned, then
// paragraphs holding most of them, so a paraphrase still finds something.
import { pageNumberAt, type TextPage } from "./paged-text.js";

export type Passage = {
  /** The page (as in `splitIntoPages`) the passage starts on. */
  page: number;
  /** For PDFs: the PDF page the passage is on, from the "--- PDF page N ---" lines. */
  pdfPage?: number;
  text: string;
};

export type PassageSearch = {
  passages: Passage[];
  /** How many places matched, including those past `maxPassages`. */
  total: number;
  match: "phrase" | "all words" | "most words" | "none";
};

export type PassageOptions = { maxPassages?: number; contextCharacters?: number };

export function findPassages(text: string, pages: TextPage[], query: string, options: PassageOptions = {}): PassageSearch {
  const maxPassages = options.maxPassages ?? 10;
  const context = options.contextCharacters ?? 300;
  const words = query.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { passages: [], total: 0, match: "none" };

  const phrase = new RegExp(words.map(escapeRegExp).join("\\s+"), "giu");
  const hits = [...text.matchAll(phrase)].map((match) => ({ start: match.index, end: match.index + match[0].length }));
  if (hits.length > 0) {
    const passages = hits.slice(0, maxPassages).map((hit) => passageAround(text, pages, hit.start, hit.end, context));
    return { passages, total: hits.length, match: "phrase" };
  }
  return findParagraphs(text, pages, words, maxPassages, context);
}

function findParagraphs(text: string, pages: TextPage[], words: string[], maxPassages: number, context: number): PassageSearch {
  const patterns = words.map((word) => new RegExp(escapeRegExp(word), "iu"));
  const scored: { start: number; end: number; score: number }[] = [];
  for (const paragraph of text.matchAll(/[^\n]+(?:\n(?!\s*\n)[^\n]*)*/g)) {
    const score = patterns.filter((pattern) => pattern.test(paragraph[0])).length;
    if (score > 0) scored.push({ start: paragraph.index, end: paragraph.index + paragraph[0].length, score });
  }
  const all = scored.filter((paragraph) => paragraph.score === words.length);
  // "Most" means more than half of the words, and at least two when the query has several.
  const needed = Math.max(Math.floor(words.length / 2) + 1, Math.min(2, words.length));
  const most =
    all.length > 0 ? [] : scored.filter((paragraph) => paragraph.score >= needed).sort((a, b) => b.score - a.score || a.start - b.start);
  const chosen = all.length > 0 ? all : most;
  if (chosen.length === 0) return { passages: [], total: 0, match: "none" };
  const passages = chosen.slice(0, maxPassages).map((paragraph) => {
    const firstHit = firstMatchIn(text.slice(paragraph.start, paragraph.end), patterns);
    const hitStart = paragraph.start + firstHit;
    return passageAround(text, pages, hitStart, hitStart, context, paragraph);
  });
  return { passages, total: chosen.length, match: all.length > 0 ? "all words" : "most words" };
}

function firstMatchIn(paragraph: string, patterns: RegExp[]): number {
  const positions = patterns.map((pattern) => paragraph.search(pattern)).filter((position) => position >= 0);
  return positions.length > 0 ? Math.min(...positions) : 0;
}

/** About `context` characters either side of the hit, kept inside its paragraph when one is given, cut at word boundaries. */
function passageAround(
  text: string,
  pages: TextPage[],
  hitStart: number,
  hitEnd: number,
  context: number,
  bounds: { start: number; end: number } = { start: 0, end: text.length },
): Passage {
  let start = Math.max(bounds.start, hitStart - context);
  let end = Math.min(bounds.end, hitEnd + context);
  if (start > bounds.start) {
    const space = text.indexOf(" ", start);
    if (space >= 0 && space < hitStart) start = space + 1;
  }
  if (end < bounds.end) {
    const space = text.lastIndexOf(" ", end);
    if (space > hitEnd) end = space;
  }
  const body = text.slice(start, end).trim();
  const passage: Passage = {
    page: pageNumberAt(pages, hitStart),
    text: `${start > bounds.start ? "…" : ""}${body}${end < bounds.end ? "…" : ""}`,
  };
  const pdfPage = pdfPageAt(text, hitStart);
  return pdfPage === undefined ? passage : { ...passage, pdfPage };
}

function pdfPageAt(text: string, offset: number): number | undefined {
  const marker = text.lastIndexOf("--- PDF page ", offset);
  if (marker < 0) return undefined;
  const number = /^--- PDF page (\d+) ---/.exec(text.slice(marker, marker + 32))?.[1];
  return number === undefined ? undefined : Number(number);
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
