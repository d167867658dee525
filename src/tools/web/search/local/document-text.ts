// The searchable text and title of one file, through the shared document extraction that the
// page- and file-reading tools use, so a document reads the same in a search hit and when
// opened: HTML becomes Markdown (the article, without menus), PDF becomes text per page, text
// formats are decoded (byte order mark, then UTF-8, then windows-1252).
import { basename, extname } from "node:path";
import { pathToFileURL } from "node:url";
import { extractText } from "../../../documents/extract-text.js";
import type { DocumentKind } from "./folder-walk.js";

export type DocumentText = {
  title: string;
  text: string;
  mediaType: string;
  /** For PDFs: where each page starts in `text`. */
  pages?: { number: number; start: number }[];
};

const mediaTypes: Record<DocumentKind, string> = {
  markdown: "text/markdown",
  text: "text/plain",
  html: "text/html",
  pdf: "application/pdf",
};

// Between PDF pages in the indexed text: a paragraph break, so no word joins across pages.
const pageSeparator = "\n\n";

export async function documentText(
  path: string,
  kind: DocumentKind,
  bytes: Uint8Array,
  signal: AbortSignal | undefined,
): Promise<DocumentText> {
  const mediaType = mediaTypes[kind];
  const extracted = await extractText(bytes, mediaType, { url: pathToFileURL(path).href, ...(signal ? { signal } : {}) });
  // Untitled documents are named by their file name, without the extension.
  const fallbackTitle = basename(path, extname(path));
  const extractedTitle = extracted.title && extracted.title !== basename(path) ? extracted.title : undefined;
  switch (kind) {
    case "markdown":
      return { title: markdownTitle(extracted.text) ?? fallbackTitle, text: extracted.text, mediaType };
    case "text":
      return { title: fallbackTitle, text: extracted.text, mediaType };
    case "html":
      return { title: extractedTitle ?? fallbackTitle, text: extracted.text, mediaType };
    case "pdf": {
      // The text is rebuilt from the pages so each page's start is known.
      const pages: { number: number; start: number }[] = [];
      let text = "";
      for (const page of extracted.pages ?? [{ number: 1, text: extracted.text }]) {
        if (text) text += pageSeparator;
        pages.push({ number: page.number, start: text.length });
        text += page.text;
      }
      return { title: extractedTitle ?? fallbackTitle, text, mediaType, pages };
    }
  }
}

/** A `title:` in YAML front matter, else the first level-1 or level-2 heading. */
export function markdownTitle(markdown: string): string | undefined {
  const frontMatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(markdown);
  const fromFrontMatter = frontMatter?.[1]?.match(/^title:\s*["']?(.+?)["']?\s*$/m)?.[1];
  if (fromFrontMatter) return fromFrontMatter;
  return /^#{1,2}\s+(.+?)\s*#*\s*$/m.exec(markdown)?.[1];
}
