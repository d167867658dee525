// How a read document reaches the model: a header line with the source id (so an answer can cite
// it), notes about how it was read, one page of text inside the untrusted-content wrapper, and a
// footer that says exactly how to get the next page. Shared by read_page and read_file.
import { sourceIdOf } from "../sources.js";
import type { ToolSource } from "../tool.js";
import { wrapUntrusted } from "../untrusted-content.js";
import type { CachedDocument } from "./document-cache.js";
import type { Passage } from "./find-passages.js";
import { formatCount } from "./format-size.js";
import { pageText, type TextPage } from "./paged-text.js";

/** How to call a tool again, as the model would write it: `read_page({"url":"…","page":2})`. */
export type CallExample = (toolName: string, extra: Record<string, unknown>) => string;

export function describeKind(entry: CachedDocument): string {
  const pdfPages = entry.document.pages?.length;
  if (pdfPages !== undefined) return `PDF, ${pdfPages} page${pdfPages === 1 ? "" : "s"}`;
  const essence = entry.mediaType.split(";")[0]?.trim() ?? entry.mediaType;
  if (essence === "text/html" || essence === "application/xhtml+xml") return "HTML as Markdown";
  return essence;
}

export function sourceOf(entry: CachedDocument): ToolSource {
  return {
    sourceId: sourceIdOf(entry.url),
    url: entry.url,
    title: entry.document.title,
    mediaType: entry.mediaType.split(";")[0]?.trim() || entry.mediaType,
    text: entry.document.text,
  };
}

export function headerLine(entry: CachedDocument, pages: TextPage[], pageNumber?: number): string {
  const position =
    pageNumber === undefined ? `${pages.length} page${pages.length === 1 ? "" : "s"}` : `page ${pageNumber} of ${pages.length}`;
  return `[${sourceIdOf(entry.url)}] ${entry.url} (${describeKind(entry)}; ${formatCount(entry.document.text.length)} characters) — ${position}`;
}

export function renderPage(
  entry: CachedDocument,
  pages: TextPage[],
  pageNumber: number,
  call: CallExample,
  names: { read: string; find?: string },
): string {
  const page = pages[pageNumber - 1] as TextPage;
  const text = pageText(entry.document.text, page);
  const body = [entry.document.title ? `Title: ${entry.document.title}` : "", text || "(This document has no readable text.)"]
    .filter(Boolean)
    .join("\n\n");
  const lines = [headerLine(entry, pages, pageNumber), ...entry.notes.map((note) => `Note: ${note}`), wrapUntrusted(body, entry.url)];
  if (pages.length === 1) lines.push("This is the whole document.");
  else if (pageNumber < pages.length) {
    const find = names.find ? ` To jump to a passage instead, search it: ${call(names.find, { query: "words to find" })}.` : "";
    lines.push(`This is page ${pageNumber} of ${pages.length}. Next page: ${call(names.read, { page: pageNumber + 1 })}.${find}`);
  } else lines.push(`This is the last page (${pageNumber} of ${pages.length}).`);
  return lines.join("\n");
}

export function renderPassages(
  entry: CachedDocument,
  pages: TextPage[],
  query: string,
  search: { passages: Passage[]; total: number; match: string },
  call: CallExample,
  readName: string,
): string {
  const header = headerLine(entry, pages);
  if (search.passages.length === 0) {
    return [
      header,
      ...entry.notes.map((note) => `Note: ${note}`),
      `No passage matches "${query}". Try other words (a synonym, a number, a shorter phrase), or read the document page by page with ${call(readName, { page: 1 })}.`,
    ].join("\n");
  }
  const shown = search.passages.length < search.total ? `the first ${search.passages.length} of ${search.total}` : `${search.total}`;
  const how =
    search.match === "phrase"
      ? "contain the phrase"
      : search.match === "all words"
        ? "contain all the words of"
        : "contain most of the words of";
  const body = search.passages
    .map(
      (passage) =>
        `[page ${passage.page} of ${pages.length}${passage.pdfPage === undefined ? "" : `, PDF page ${passage.pdfPage}`}]\n${passage.text}`,
    )
    .join("\n\n---\n\n");
  return [
    header,
    ...entry.notes.map((note) => `Note: ${note}`),
    `Passages that ${how} "${query}" (${shown}):`,
    wrapUntrusted(body, entry.url),
    `To read a whole page: ${call(readName, { page: search.passages[0]?.page ?? 1 })}.`,
  ].join("\n");
}
