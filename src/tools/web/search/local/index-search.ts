// A query against a loaded index: minisearch ranks (BM25, title matches weigh more, prefixes and
// small typos still match), then each hit gets the passage that best shows why it matched, and
// PDF hits the page that passage is on.
import { pathToFileURL } from "node:url";
import type { SearchOptions } from "minisearch";
import type { IndexedFile, IndexState } from "./index-file.js";
import { bestSnippet } from "./snippet.js";
import { readTexts } from "./text-store.js";

export type LocalHit = {
  path: string;
  /** file:// URL of the document, with #page=N for a PDF page. */
  url: string;
  title: string;
  snippet: string;
  score: number;
  page?: number;
};

const searchOptions: SearchOptions = {
  boost: { title: 3, location: 1.5 },
  // "index" finds "indexing"; short prefixes would match too much to be useful.
  prefix: (term) => term.length >= 4,
  fuzzy: (term) => (term.length >= 6 ? 0.15 : false),
};

export function searchIndexState(directory: string, state: IndexState, query: string, limit: number): LocalHit[] {
  const results = state.search.search(query, searchOptions).slice(0, limit);
  const texts = readTexts(
    directory,
    results.flatMap((result) => state.files[String(result.id)]?.textHash ?? []),
  );
  return results.map((result): LocalHit => {
    const path = String(result.id);
    const file = state.files[path];
    const text = file?.textHash === undefined ? undefined : texts.get(file.textHash);
    // The text is gone only when a writer replaced the index after this one was loaded.
    const snippet =
      text === undefined
        ? { text: "(the document changed; search again for a current excerpt)", matchOffset: 0 }
        : bestSnippet(text, result.terms);
    const page = pageAt(file, snippet.matchOffset);
    return {
      path,
      url: `${pathToFileURL(path).href}${page === undefined ? "" : `#page=${page}`}`,
      title: file?.title ?? path,
      snippet: snippet.text,
      score: result.score,
      ...(page === undefined ? {} : { page }),
    };
  });
}

function pageAt(file: IndexedFile | undefined, offset: number): number | undefined {
  let page: number | undefined;
  for (const entry of file?.pages ?? []) {
    if (entry.start > offset) break;
    page = entry.number;
  }
  return page;
}
