// Turns bytes into text without ever throwing on bad input: the charset comes from a byte order
// mark, then the HTTP Content-Type, then (for HTML) a <meta> tag; without any, UTF-8 is tried
// strictly and windows-1252 (what browsers assume for legacy pages) is used if that fails.
// Bytes the chosen charset cannot decode become U+FFFD instead of an error.
import { byteString } from "./media-type.js";

export type DecodedText = { text: string; charset: string };

export function decodeText(bytes: Uint8Array, options: { charset?: string; html?: boolean } = {}): DecodedText {
  const declared =
    charsetFromByteOrderMark(bytes) ?? usableCharset(options.charset) ?? (options.html ? charsetFromMetaTag(bytes) : undefined);
  if (declared) return { text: new TextDecoder(declared).decode(bytes), charset: declared };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), charset: "utf-8" };
  } catch {
    return { text: new TextDecoder("windows-1252").decode(bytes), charset: "windows-1252" };
  }
}

function charsetFromByteOrderMark(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  return undefined;
}

/** The WHATWG name of a charset label, or undefined when the label is unknown to the decoder. */
function usableCharset(label: string | undefined): string | undefined {
  if (!label) return undefined;
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
}

// The HTML standard looks for the charset declaration in the first 1024 bytes; pages in the wild
// put it later, so a little more is read.
const metaScanBytes = 4096;

function charsetFromMetaTag(bytes: Uint8Array): string | undefined {
  const head = byteString(bytes, metaScanBytes);
  for (const tag of head.match(/<meta\b[^>]*>/gi) ?? []) {
    const match = /charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(tag);
    const charset = usableCharset(match?.[1]);
    // A page saved as UTF-16 cannot be read by an ASCII scan like this one, so such a
    // declaration is wrong by construction; browsers treat it as UTF-8 too.
    if (charset) return charset.startsWith("utf-16") ? "utf-8" : charset;
  }
  return undefined;
}
