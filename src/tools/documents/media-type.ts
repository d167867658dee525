import { extname } from "node:path";

/** The media types Ponder can extract text from, by file extension. */
const mediaTypesByExtension: Record<string, string> = {
  ".md": "text/markdown",
  ".markdown": "text/markdown",
  ".txt": "text/plain",
  ".html": "text/html",
  ".htm": "text/html",
  ".pdf": "application/pdf",
  ".json": "application/json",
  ".csv": "text/csv",
};

/** The media type of a file by its extension (.md .markdown .txt .html .htm .pdf .json .csv), else undefined. */
export function mediaTypeOfPath(path: string): string | undefined {
  return mediaTypesByExtension[extname(path).toLowerCase()];
}

/** A Content-Type header split into its essence (`text/html`) and its charset, if any. */
export type ContentType = { essence: string; charset?: string };

export function parseContentType(header: string | null | undefined): ContentType {
  const [essencePart = "", ...parameters] = (header ?? "").split(";");
  const essence = essencePart.trim().toLowerCase();
  for (const parameter of parameters) {
    const [name, value] = parameter.split("=", 2);
    if (name?.trim().toLowerCase() === "charset" && value) {
      const charset = value
        .trim()
        .replace(/^["']|["']$/g, "")
        .toLowerCase();
      if (charset) return { essence, charset };
    }
  }
  return { essence };
}

export type DocumentKind = "html" | "pdf" | "text" | "image" | "binary";

/** What kind of document a media type names; unknown types count as binary. */
export function documentKindOf(essence: string): DocumentKind {
  if (essence === "text/html" || essence === "application/xhtml+xml") return "html";
  if (essence === "application/pdf" || essence === "application/x-pdf") return "pdf";
  if (essence.startsWith("image/")) return "image";
  if (essence.startsWith("text/")) return "text";
  if (/^application\/([\w.-]+\+)?(json|xml|csv|javascript|ecmascript|x-ndjson|ld\+json|yaml|x-yaml|toml)$/.test(essence)) {
    return "text";
  }
  return "binary";
}

/**
 * Guesses a media type from the first bytes, for servers that send none or a generic
 * `application/octet-stream`. Returns undefined when the bytes give no clear sign.
 */
export function sniffMediaType(bytes: Uint8Array): string | undefined {
  const head = byteString(bytes, 1024);
  if (head.startsWith("%PDF-")) return "application/pdf";
  if (head.startsWith("\x89PNG")) return "image/png";
  if (head.startsWith("\xff\xd8\xff")) return "image/jpeg";
  if (head.startsWith("GIF8")) return "image/gif";
  if (head.startsWith("RIFF") && head.slice(8, 12) === "WEBP") return "image/webp";
  const trimmed = head
    .replace(/^\xef\xbb\xbf/, "")
    .trimStart()
    .toLowerCase();
  if (trimmed.startsWith("<!doctype html") || trimmed.startsWith("<html") || /^<(head|body|meta|title)[\s>]/.test(trimmed)) {
    return "text/html";
  }
  if (!head.includes("\0")) return "text/plain";
  return undefined;
}

/**
 * The first `length` bytes as a string of one character per byte (ISO-8859-1), for comparing
 * with signatures and ASCII markup. TextDecoder("latin1") would not do: the Encoding Standard
 * maps that label to windows-1252, which turns bytes such as 0x89 into other characters.
 */
export function byteString(bytes: Uint8Array, length: number): string {
  return String.fromCharCode(...bytes.subarray(0, length));
}
