// Fetch, classify, extract, cache: the part read_page and find_in_page share. A URL read once in
// a run is kept (by the URL asked for and the URL it redirected to), so paging through it or
// searching it costs no second download.
import { ToolError } from "../../../core/errors.js";
import type { ToolContext } from "../../tool.js";
import { DocumentCache, type CachedDocument } from "../../documents/document-cache.js";
import { extractText, type ExtractedDocument } from "../../documents/extract-text.js";
import { formatBytes } from "../../documents/format-size.js";
import { documentKindOf, mediaTypeOfPath, parseContentType, sniffMediaType } from "../../documents/media-type.js";
import { checkWebUrl, fetchPage, type ResponseHead } from "./fetch-page.js";
import type { ResolvedReadPageSettings } from "./read-page-settings.js";

/** The RunResources key of the run's cache of fetched pages. */
export const pageCacheResource = "web-page-cache";

/**
 * Opens a `file://` URL that a local search result gave, or says it is not one (undefined). Only
 * documents the user chose to index are reachable this way, never arbitrary paths.
 */
export type LocalDocumentOpener = (url: string) => Promise<ExtractedDocument | undefined>;

export async function loadPage(
  rawUrl: string,
  settings: ResolvedReadPageSettings,
  context: ToolContext,
  openLocal?: LocalDocumentOpener,
): Promise<CachedDocument> {
  if (openLocal && rawUrl.trim().startsWith("file:")) return loadLocal(rawUrl.trim(), context, openLocal);
  const url = checkWebUrl(rawUrl);
  const cache = await context.resources.get(pageCacheResource, () => new DocumentCache());
  return cache.get(url.href) ?? cache.loadOnce(url.href, () => fetchAndExtract(url, settings, context, cache));
}

async function loadLocal(rawUrl: string, context: ToolContext, openLocal: LocalDocumentOpener): Promise<CachedDocument> {
  const url = rawUrl.replace(/#.*$/, "");
  const cache = await context.resources.get(pageCacheResource, () => new DocumentCache());
  return (
    cache.get(url) ??
    cache.loadOnce(url, async () => {
      const document = await openLocal(url);
      if (!document) {
        throw new ToolError(
          `${url} is not a document in the local search index. read_page opens file:// URLs only from web_search results; for files in the run's workspace, use read_file.`,
        );
      }
      const entry: CachedDocument = { url, mediaType: "text/markdown", document, notes: [] };
      cache.set(url, entry);
      return entry;
    })
  );
}

async function fetchAndExtract(
  url: URL,
  settings: ResolvedReadPageSettings,
  context: ToolContext,
  cache: DocumentCache,
): Promise<CachedDocument> {
  const fetched = await fetchPage(url, settings, context.signal, refuseUnreadable);
  const mediaType = mediaTypeOf(fetched.contentType, fetched.bytes, fetched.url);
  const kind = documentKindOf(parseContentType(mediaType).essence);
  if (kind === "image" || kind === "binary")
    throw unreadableError(fetched.url, parseContentType(mediaType).essence, fetched.declaredBytes ?? fetched.bytes.byteLength);
  if (kind === "pdf" && fetched.truncated) {
    throw new ToolError(
      `${fetched.url} is a PDF larger than read_page's limit of ${formatBytes(settings.maxBytes)}${fetched.declaredBytes ? ` (${formatBytes(fetched.declaredBytes)})` : ""}, and a PDF cut short cannot be read. Look for an HTML version of the document or a smaller part of it.`,
    );
  }
  const document = await extractText(fetched.bytes, mediaType, { url: fetched.url, signal: context.signal });
  const notes: string[] = [];
  if (fetched.redirectedFrom.length > 0) notes.push(`${url.href} redirected here.`);
  if (fetched.truncated) {
    const size = fetched.declaredBytes ? ` (it is ${formatBytes(fetched.declaredBytes)})` : "";
    notes.push(
      `the page is larger than ${formatBytes(settings.maxBytes)}${size}; only its first ${formatBytes(settings.maxBytes)} were read, so text near its end is missing.`,
    );
  }
  const entry: CachedDocument = { url: fetched.url, mediaType, document, notes };
  cache.set(url.href, entry);
  if (fetched.url !== url.href) cache.set(fetched.url, entry);
  return entry;
}

/** The media type to extract with: the header's, unless it is missing or generic, then the bytes', then the URL's extension. */
function mediaTypeOf(contentType: string, bytes: Uint8Array, url: string): string {
  const { essence } = parseContentType(contentType);
  if (!isGeneric(essence)) return contentType;
  const sniffed = sniffMediaType(bytes);
  const byExtension = mediaTypeOfPath(new URL(url).pathname);
  if (sniffed && sniffed !== "text/plain") return sniffed;
  return byExtension ?? sniffed ?? (essence || "application/octet-stream");
}

function isGeneric(essence: string): boolean {
  return essence === "" || essence === "application/octet-stream" || essence === "binary/octet-stream";
}

/** Images and binaries are refused as soon as their headers say what they are, before the download. */
function refuseUnreadable(head: ResponseHead): void {
  const { essence } = parseContentType(head.contentType);
  // A generic type says nothing yet: the bytes decide once they are read.
  if (isGeneric(essence)) return;
  const kind = documentKindOf(essence);
  if (kind === "image" || kind === "binary") throw unreadableError(head.url, essence, head.declaredBytes);
}

function unreadableError(url: string, essence: string, bytes: number | undefined): ToolError {
  const size = bytes ? `, ${formatBytes(bytes)}` : "";
  if (essence.startsWith("image/")) {
    return new ToolError(
      `${url} is an image (${essence}${size}), not a text document, so read_page cannot read it. To look at it, use an image tool or the browser, if this run has them.`,
    );
  }
  const what = isGeneric(essence) ? "a binary file of unknown type" : `a binary file (${essence}${size})`;
  return new ToolError(
    `${url} is ${what}, not a text document. read_page reads HTML pages, PDFs and text formats (plain text, Markdown, JSON, CSV, XML); the browser tool, if this run has it, can show what the site offers instead.`,
  );
}
