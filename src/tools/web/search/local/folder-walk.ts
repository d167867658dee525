// The files of a folder the index takes: documents by extension, found recursively. Hidden
// entries (.git, .cache) and node_modules are skipped, and symbolic links to folders are not
// followed, so a link cycle cannot make a scan endless.
import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";

export type DocumentKind = "markdown" | "text" | "html" | "pdf";

const kindsByExtension: Record<string, DocumentKind> = {
  ".md": "markdown",
  ".markdown": "markdown",
  ".mdx": "markdown",
  ".txt": "text",
  ".text": "text",
  ".rst": "text",
  ".html": "html",
  ".htm": "html",
  ".pdf": "pdf",
};

export const indexedExtensions = Object.keys(kindsByExtension);

export function documentKindOfPath(path: string): DocumentKind | undefined {
  return kindsByExtension[extname(path).toLowerCase()];
}

/** Absolute paths of the indexable files under `folder`, sorted. */
export async function listDocuments(folder: string, signal?: AbortSignal): Promise<string[]> {
  const found: string[] = [];
  const pending = [folder];
  while (pending.length > 0) {
    signal?.throwIfAborted();
    const directory = pending.pop() as string;
    let entries: Dirent[];
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      // A subfolder we may not read is skipped; the folder itself must be readable.
      if (directory === folder) throw error;
      continue;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const path = join(directory, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (documentKindOfPath(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && (await isFile(path))))) found.push(path);
    }
  }
  return found.sort();
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
