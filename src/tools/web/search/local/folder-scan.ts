// Brings one folder's part of the index up to date with the disk: a file whose size and mtime
// are unchanged is skipped without reading it; a file touched but with the same bytes (same
// hash) is skipped after reading; a changed or new file is extracted and indexed again; a file
// that is gone is dropped. Files are read and extracted a few at a time; the in-memory index is
// changed only between those steps, so it is never seen half-updated.
import { readFile, stat } from "node:fs/promises";
import { relative, sep } from "node:path";
import { documentText } from "./document-text.js";
import { documentKindOfPath, listDocuments } from "./folder-walk.js";
import type { IndexedFile, IndexState } from "./index-file.js";
import { hashOf, type TextWriter } from "./text-store.js";

export type ScanReport = {
  folder: string;
  added: number;
  changed: number;
  unchanged: number;
  removed: number;
  failed: { path: string; reason: string }[];
};

export type ScanProgress = { folder: string; done: number; total: number };

export type ScanOptions = {
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
};

/** Files larger than this are not indexed (a 50 MB PDF is already a whole book). */
export const maxIndexedFileBytes = 50 * 1024 * 1024;

// Enough parallel reads and extractions to hide disk latency without flooding memory with PDFs.
const concurrency = 8;

type Outcome =
  | { kind: "unchanged" }
  | { kind: "touched"; mtimeMs: number; size: number }
  | { kind: "indexed"; entry: IndexedFile; text: string }
  | { kind: "failed"; entry: IndexedFile }
  | { kind: "gone" };

export async function scanFolder(texts: TextWriter, state: IndexState, folder: string, options: ScanOptions = {}): Promise<ScanReport> {
  const report: ScanReport = { folder, added: 0, changed: 0, unchanged: 0, removed: 0, failed: [] };
  const paths = await listDocuments(folder, options.signal);
  const present = new Set(paths);
  let done = 0;
  await forEachConcurrently(
    paths,
    async (path) => {
      const previous = state.files[path];
      const outcome = await examine(path, previous, options.signal);
      switch (outcome.kind) {
        case "unchanged":
          report.unchanged++;
          break;
        case "touched":
          state.files[path] = { ...(previous as IndexedFile), mtimeMs: outcome.mtimeMs, size: outcome.size };
          report.unchanged++;
          break;
        case "indexed":
          outcome.entry.textHash = texts.save(outcome.text);
          if (state.search.has(path)) state.search.discard(path);
          state.search.add({ id: path, title: outcome.entry.title, text: outcome.text, location: relative(folder, path) });
          state.files[path] = outcome.entry;
          if (previous) report.changed++;
          else report.added++;
          break;
        case "failed":
          if (state.search.has(path)) state.search.discard(path);
          state.files[path] = outcome.entry;
          report.failed.push({ path, reason: outcome.entry.error ?? "unknown error" });
          break;
        case "gone":
          present.delete(path);
          break;
      }
      options.onProgress?.({ folder, done: ++done, total: paths.length });
    },
    options.signal,
  );
  for (const path of Object.keys(state.files)) {
    if (isInside(path, folder) && !present.has(path)) {
      dropFile(state, path);
      report.removed++;
    }
  }
  return report;
}

export function dropFile(state: IndexState, path: string): void {
  if (state.search.has(path)) state.search.discard(path);
  delete state.files[path];
}

export function isInside(path: string, folder: string): boolean {
  return path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

async function examine(path: string, previous: IndexedFile | undefined, signal: AbortSignal | undefined): Promise<Outcome> {
  let mtimeMs: number;
  let size: number;
  try {
    ({ mtimeMs, size } = await stat(path));
  } catch {
    return { kind: "gone" };
  }
  if (previous && previous.mtimeMs === mtimeMs && previous.size === size) return { kind: "unchanged" };
  const kind = documentKindOfPath(path);
  const base = { mtimeMs, size, hash: "", mediaType: "", title: "" };
  if (!kind) return { kind: "gone" };
  if (size > maxIndexedFileBytes) {
    return { kind: "failed", entry: { ...base, error: `larger than ${maxIndexedFileBytes / 1024 / 1024} MB` } };
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path, { signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    return { kind: "failed", entry: { ...base, error: `cannot be read: ${messageOf(error)}` } };
  }
  const hash = hashOf(bytes);
  if (previous && previous.hash === hash && previous.error === undefined) return { kind: "touched", mtimeMs, size };
  try {
    const document = await documentText(path, kind, bytes, signal);
    const entry: IndexedFile = {
      mtimeMs,
      size,
      hash,
      mediaType: document.mediaType,
      title: document.title,
      ...(document.pages ? { pages: document.pages } : {}),
    };
    return { kind: "indexed", entry, text: document.text };
  } catch (error) {
    if (signal?.aborted) throw error;
    return { kind: "failed", entry: { ...base, hash, error: messageOf(error) } };
  }
}

async function forEachConcurrently<T>(
  items: readonly T[],
  work: (item: T) => Promise<void>,
  signal: AbortSignal | undefined,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      signal?.throwIfAborted();
      await work(items[next++] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error);
}
