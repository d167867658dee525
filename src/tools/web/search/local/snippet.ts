// The passage of a document that best shows why it matched: the window of text holding the most
// different query terms (then the most occurrences), cut at word boundaries.

/** `matchOffset`: where the passage's first match is in the text (0 when nothing matched). */
export type Snippet = { text: string; matchOffset: number };

// Occurrences looked at per term: enough to find a good window in a book-length PDF.
const maxOccurrencesPerTerm = 500;

export function bestSnippet(text: string, terms: readonly string[], width = 320): Snippet {
  const occurrences = findOccurrences(text, [...new Set(terms.map((term) => term.toLowerCase()))]);
  if (occurrences.length === 0) return { text: cut(text, 0, width), matchOffset: 0 };
  const span = Math.floor(width * 0.8);
  const counts = new Map<number, number>();
  let best = { start: 0, end: 0, score: -1 };
  let first = 0;
  for (let last = 0; last < occurrences.length; last++) {
    const added = occurrences[last] as Occurrence;
    counts.set(added.term, (counts.get(added.term) ?? 0) + 1);
    while (added.position - (occurrences[first] as Occurrence).position > span) {
      const removed = occurrences[first++] as Occurrence;
      const left = (counts.get(removed.term) ?? 1) - 1;
      if (left === 0) counts.delete(removed.term);
      else counts.set(removed.term, left);
    }
    const score = counts.size * 10_000 + (last - first + 1);
    if (score > best.score) best = { start: (occurrences[first] as Occurrence).position, end: added.position, score };
  }
  const center = Math.floor((best.start + best.end) / 2);
  return { text: cut(text, Math.max(0, center - Math.floor(width / 2)), width), matchOffset: best.start };
}

type Occurrence = { position: number; term: number };

function findOccurrences(text: string, terms: string[]): Occurrence[] {
  const occurrences: Occurrence[] = [];
  terms.forEach((term, index) => {
    if (term === "") return;
    // Whole words only: "index" should not light up inside "reindexing".
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(term)}(?![\\p{L}\\p{N}])`, "giu");
    let found = 0;
    for (const match of text.matchAll(pattern)) {
      occurrences.push({ position: match.index, term: index });
      if (++found === maxOccurrencesPerTerm) break;
    }
  });
  return occurrences.sort((a, b) => a.position - b.position);
}

function cut(text: string, from: number, width: number): string {
  let start = from;
  if (start > 0) {
    const space = text.indexOf(" ", start);
    if (space !== -1 && space - start < 30) start = space + 1;
  }
  let end = Math.min(text.length, start + width);
  if (end < text.length) {
    const space = text.lastIndexOf(" ", end);
    if (space > start + width * 0.6) end = space;
  }
  const body = text.slice(start, end).replace(/\s+/g, " ").trim();
  return `${start > 0 ? "…" : ""}${body}${end < text.length ? "…" : ""}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
