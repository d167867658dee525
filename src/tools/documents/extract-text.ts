// One entry point from bytes to readable text, shared by read_page, read_file and the local
// search index: HTML becomes Markdown (article only), PDFs become text per page, and text
// formats (plain, Markdown, JSON, CSV, XML) are decoded as they are.
import { ToolError } from "../../core/errors.js";
import { decodeText } from "./decode-text.js";
import { htmlToMarkdown } from "./html-to-markdown.js";
import { documentKindOf, parseContentType } from "./media-type.js";
import { pdfToText } from "./pdf-text.js";

export { mediaTypeOfPath } from "./media-type.js";

export type ExtractedDocument = {
  title: string;
  /** The readable text: Markdown for HTML, the pages joined (each after a "--- PDF page N ---" line) for PDFs. */
  text: string;
  /** For PDFs: the text of each page, numbered from 1. */
  pages?: { number: number; text: string }[];
};

export type ExtractOptions = {
  /** Where the bytes came from: resolves relative links in HTML and gives untitled documents a title. */
  url?: string;
  signal?: AbortSignal;
};

/**
 * Extracts the readable text of a document. `mediaType` is a Content-Type value and may carry a
 * charset (`text/html; charset=iso-8859-1`). Throws ToolError for types that hold no text
 * (images, archives) and for PDFs that cannot be read.
 */
export async function extractText(bytes: Uint8Array, mediaType: string, options: ExtractOptions = {}): Promise<ExtractedDocument> {
  const contentType = parseContentType(mediaType);
  const kind = documentKindOf(contentType.essence);
  switch (kind) {
    case "html": {
      const { text: html } = decodeText(bytes, { charset: contentType.charset, html: true });
      const { title, markdown } = htmlToMarkdown(html, options.url);
      return { title: title || fallbackTitle(options.url), text: markdown };
    }
    case "pdf": {
      const pdf = await pdfToText(bytes, options.signal);
      const text = pdf.pages.map((page) => `--- PDF page ${page.number} ---\n${page.text}`).join("\n\n");
      return { title: pdf.title || fallbackTitle(options.url), text, pages: pdf.pages };
    }
    case "text": {
      const text = decodeText(bytes, { charset: contentType.charset }).text.replace(/^\ufeff/, "");
      const title = contentType.essence === "text/markdown" ? firstHeading(text) : undefined;
      return { title: title || fallbackTitle(options.url), text };
    }
    case "image":
    case "binary":
      throw new ToolError(
        `Cannot extract text from ${contentType.essence || "a document of unknown type"}: it is not a text, HTML or PDF document.`,
      );
  }
}

function firstHeading(markdown: string): string | undefined {
  return /^#{1,6}\s+(.+?)\s*#*\s*$/m.exec(markdown)?.[1];
}

/** The last part of the URL's path (a file name), or the URL itself. */
function fallbackTitle(url: string | undefined): string {
  if (!url) return "";
  try {
    const parsed = new URL(url);
    const name = decodeURIComponent(parsed.pathname.split("/").filter(Boolean).pop() ?? "");
    return name || parsed.host || url;
  } catch {
    return url.split("/").filter(Boolean).pop() ?? url;
  }
}
