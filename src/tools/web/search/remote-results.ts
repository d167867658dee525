// Tolerant reading of search services' JSON: fields that are missing or of an unexpected type
// become empty rather than errors, and results without a usable URL are dropped, so a service
// that adds or renames a field degrades a result instead of failing the search.
import type { SearchResult } from "./search-backend.js";
import { plainText, shorten } from "./plain-text.js";

/** Characters of snippet the model sees per result. */
export const maxSnippetCharacters = 500;

export function recordOf(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function recordsOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(recordOf) : [];
}

export function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === "string" && entry.trim() !== "") : [];
}

/** A result from raw fields: markup stripped, snippet bounded, the title falling back to the URL. */
export function resultOf(fields: { title: unknown; url: unknown; snippet: unknown; published?: unknown }): SearchResult | undefined {
  if (typeof fields.url !== "string" || !/^https?:\/\//i.test(fields.url) || !URL.canParse(fields.url)) return undefined;
  const published = typeof fields.published === "string" && fields.published.trim() ? fields.published.trim() : undefined;
  return {
    title: plainText(fields.title) || fields.url,
    url: fields.url,
    snippet: shorten(plainText(fields.snippet), maxSnippetCharacters),
    ...(published ? { published } : {}),
  };
}

/** Usable results, first occurrence of each URL kept, at most `maxResults`. */
export function keepResults(results: (SearchResult | undefined)[], maxResults: number): SearchResult[] {
  const seen = new Set<string>();
  const kept: SearchResult[] = [];
  for (const result of results) {
    if (!result || seen.has(result.url)) continue;
    seen.add(result.url);
    kept.push(result);
    if (kept.length === maxResults) break;
  }
  return kept;
}
