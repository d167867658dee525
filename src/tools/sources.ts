import { createHash } from "node:crypto";

/** A short id that is the same for the same URL in every run: `src_` and 10 hex digits of its sha256. */
export function sourceIdOf(url: string): string {
  return `src_${createHash("sha256").update(url).digest("hex").slice(0, 10)}`;
}

export function contentHashOf(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
