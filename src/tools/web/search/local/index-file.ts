// The local index on disk, under `<home>/index/`:
//   index.json   folders, one entry per file (mtime, size, hash, title, text hash) and
//                minisearch's serialized index: one JSON file, loaded with one parse
//   texts.db     the extracted text of each document, by content hash (see text-store.ts)
//   scans.json   when each folder was last compared with the disk (see scan-times.ts)
//   update.lock  held while a writer updates the index (see index-lock.ts)
// Writers replace index.json by writing a temporary file and renaming it over the old one, so a
// reader (a run searching while `ponder index add` works) sees the old or the new index, whole.
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import MiniSearch, { type AsPlainObject, type Options } from "minisearch";
import { z } from "zod";
import { PonderError } from "../../../../core/errors.js";

export const indexFormatVersion = 1;

export type IndexedFolder = { path: string; addedAt: string };

export type IndexedFile = {
  mtimeMs: number;
  size: number;
  /** sha256 of the file's bytes: a file touched but not changed is not extracted again. */
  hash: string;
  mediaType: string;
  title: string;
  /** sha256 of the extracted text, its key in texts.db. Absent when extraction failed. */
  textHash?: string;
  /** Where each PDF page starts in the extracted text, so a hit can name its page. */
  pages?: { number: number; start: number }[];
  /** Why the file could not be indexed; it is tried again when it changes. */
  error?: string;
};

/** A document as minisearch indexes it; the id is the file's absolute path. */
export type IndexedDocument = { id: string; title: string; text: string; location: string };

export type IndexState = {
  folders: IndexedFolder[];
  files: Record<string, IndexedFile>;
  search: MiniSearch<IndexedDocument>;
};

// Loading must use the options the index was built with, so they live here, once.
export const miniSearchOptions: Options<IndexedDocument> = {
  fields: ["title", "text", "location"],
  storeFields: [],
  autoVacuum: false,
};

const fileSchema = z.object({
  mtimeMs: z.number(),
  size: z.number(),
  hash: z.string(),
  mediaType: z.string(),
  title: z.string(),
  textHash: z.string().optional(),
  pages: z.array(z.object({ number: z.number(), start: z.number() })).optional(),
  error: z.string().optional(),
});

const indexFileSchema = z.object({
  version: z.literal(indexFormatVersion),
  folders: z.array(z.object({ path: z.string(), addedAt: z.string() })),
  files: z.record(z.string(), fileSchema),
  search: z.custom<AsPlainObject>(
    (value) => typeof value === "object" && value !== null && Array.isArray((value as { index?: unknown }).index),
  ),
});

const indexFileName = "index.json";

export function indexFilePath(directory: string): string {
  return join(directory, indexFileName);
}

export function emptyIndexState(): IndexState {
  return { folders: [], files: {}, search: new MiniSearch(miniSearchOptions) };
}

/** The index in `directory`; an empty one when none was written yet. */
export async function readIndexState(directory: string): Promise<IndexState> {
  const path = indexFilePath(directory);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return emptyIndexState();
    throw damaged(path, error);
  }
  try {
    const parsed = indexFileSchema.parse(JSON.parse(text));
    return { folders: parsed.folders, files: parsed.files, search: MiniSearch.loadJS(parsed.search, miniSearchOptions) };
  } catch (error) {
    throw damaged(path, error);
  }
}

/** Writes the whole index atomically: a reader never sees a half-written file. */
export async function writeIndexState(directory: string, state: IndexState): Promise<void> {
  if (state.search.dirtCount > 0) await state.search.vacuum({ batchSize: Number.MAX_SAFE_INTEGER });
  await mkdir(directory, { recursive: true });
  const body = JSON.stringify({ version: indexFormatVersion, folders: state.folders, files: state.files, search: state.search.toJSON() });
  await writeAtomically(indexFilePath(directory), body);
}

export async function writeAtomically(path: string, body: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, body);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Deletes temporary files a crashed writer left; call only while holding the index lock. */
export async function removeTemporaryFiles(directory: string): Promise<void> {
  const names = await readdir(directory).catch(() => [] as string[]); // No index folder: nothing left over.
  await Promise.all(names.filter((name) => name.endsWith(".tmp")).map((name) => rm(join(directory, name), { force: true })));
}

function damaged(path: string, cause: unknown): PonderError {
  return new PonderError(
    "index_damaged",
    `The local search index ${path} cannot be read (${cause instanceof Error ? cause.message.split("\n")[0] : String(cause)}).`,
    {
      hint: "Delete that file and add your folders again with `ponder index add <folder>`.",
      cause,
    },
  );
}
