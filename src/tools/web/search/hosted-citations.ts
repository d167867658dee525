// What a hosted web search call returned, as search results: every page the provider cited, with
// the passages it cited (Anthropic: `cited_text`, the page's own words; OpenAI: the span of its
// answer that a `url_citation` annotation points at), then the pages it found but did not cite.
import type { LanguageModelV3Content } from "@ai-sdk/provider";
import { plainText, shorten } from "./plain-text.js";
import { maxSnippetCharacters, recordOf, recordsOf } from "./remote-results.js";
import type { SearchResult } from "./search-backend.js";

type Page = { url: string; title: string; cited: string[]; published?: string };

export function hostedResults(content: readonly LanguageModelV3Content[], maxResults: number): SearchResult[] {
  const pages = new Map<string, Page>();
  const page = (url: unknown, title: unknown): Page | undefined => {
    if (typeof url !== "string" || !/^https?:\/\//i.test(url) || !URL.canParse(url)) return undefined;
    let known = pages.get(url);
    if (!known) {
      known = { url, title: "", cited: [] };
      pages.set(url, known);
    }
    if (!known.title && typeof title === "string") known.title = plainText(title);
    return known;
  };
  const cite = (target: Page | undefined, text: unknown) => {
    const passage = plainText(text);
    if (target && passage && !target.cited.includes(passage)) target.cited.push(passage);
  };
  // Cited pages first, in the order the answer cites them.
  for (const part of content) {
    if (part.type !== "text") continue;
    for (const citation of recordsOf(recordOf(part.providerMetadata?.anthropic).citations)) {
      cite(page(citation.url, citation.title), citation.cited_text);
    }
    for (const annotation of recordsOf(recordOf(part.providerMetadata?.openai).annotations)) {
      if (annotation.type !== "url_citation") continue;
      const start = typeof annotation.start_index === "number" ? annotation.start_index : 0;
      const end = typeof annotation.end_index === "number" ? annotation.end_index : 0;
      cite(page(annotation.url, annotation.title), answerSpan(part.text, start, end));
    }
  }
  for (const part of content) {
    if (part.type === "source" && part.sourceType === "url") {
      const found = page(part.url, part.title);
      cite(found, recordOf(part.providerMetadata?.anthropic).citedText);
      const age = recordOf(part.providerMetadata?.anthropic).pageAge;
      if (found && typeof age === "string" && age.trim()) found.published = age.trim();
    } else if (part.type === "tool-result") {
      // Results found but not cited: Anthropic's web_search_tool_result, OpenAI's action sources.
      const result = part.result as unknown;
      for (const entry of Array.isArray(result) ? recordsOf(result) : recordsOf(recordOf(result).sources)) page(entry.url, entry.title);
    }
  }
  return [...pages.values()].slice(0, maxResults).map((found) => ({
    title: found.title || found.url,
    url: found.url,
    snippet: found.cited.length > 0 ? shorten(found.cited.join(" … "), maxSnippetCharacters) : "(found by the search; not cited)",
    ...(found.published ? { published: found.published } : {}),
    ...(found.cited.length > 0 ? { cited: found.cited } : {}),
  }));
}

/**
 * The cited span of an answer, widened to its sentence: OpenAI's annotations often point at a
 * few words or at a bare link, which alone would say nothing.
 */
function answerSpan(text: string, start: number, end: number): string {
  if (!(start >= 0 && end > start && end <= text.length)) return "";
  const before = text.slice(0, start);
  const sentenceStart = Math.max(before.lastIndexOf(". "), before.lastIndexOf("\n")) + 1;
  const after = text.slice(end).search(/[.!?](\s|$)|\n/);
  const sentenceEnd = after === -1 ? text.length : end + after + 1;
  // Markdown links around the citation are kept as plain words.
  return text
    .slice(sentenceStart, sentenceEnd)
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\(\s*\)/g, "")
    .trim();
}
