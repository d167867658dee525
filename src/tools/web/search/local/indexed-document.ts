// The stored text of a document in the local index, by its file:// URL (as web_search gave it).
// Page-reading tools can use it to open local search results: only files the user chose to index
// are reachable this way, never arbitrary paths, and the text is the one the snippet came from.
import { fileURLToPath } from "node:url";
import { loadIndex } from "./index-reader.js";
import { readTexts } from "./text-store.js";

export type IndexedDocumentText = {
  path: string;
  title: string;
  mediaType: string;
  text: string;
  /** For PDFs: where each page starts in `text`. */
  pages?: { number: number; start: number }[];
};

/** The document's text, or undefined when the URL is not an indexed document. */
export async function readIndexedDocument(directory: string, url: string): Promise<IndexedDocumentText | undefined> {
  let path: string;
  try {
    const parsed = new URL(url);
    parsed.hash = "";
    path = fileURLToPath(parsed);
  } catch {
    return undefined;
  }
  const file = (await loadIndex(directory)).files[path];
  if (!file?.textHash) return undefined;
  const text = readTexts(directory, [file.textHash]).get(file.textHash);
  if (text === undefined) return undefined;
  return { path, title: file.title, mediaType: file.mediaType, text, ...(file.pages ? { pages: file.pages } : {}) };
}
