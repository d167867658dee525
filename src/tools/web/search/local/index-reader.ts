// Searches in one process share one loaded index per directory and reload it only when
// index.json was replaced (a new inode, size or mtime), so a run's searches do not each parse it.
import { stat } from "node:fs/promises";
import { emptyIndexState, indexFilePath, readIndexState, type IndexState } from "./index-file.js";

type CachedIndex = { inode: number; size: number; mtimeMs: number; state: Promise<IndexState> };

const cache = new Map<string, CachedIndex>();

export async function loadIndex(directory: string): Promise<IndexState> {
  const info = await stat(indexFilePath(directory)).catch(() => undefined); // No index file yet: an empty index.
  if (!info) {
    cache.delete(directory);
    return emptyIndexState();
  }
  const cached = cache.get(directory);
  if (cached && cached.inode === info.ino && cached.size === info.size && cached.mtimeMs === info.mtimeMs) return cached.state;
  const state = readIndexState(directory);
  const entry = { inode: info.ino, size: info.size, mtimeMs: info.mtimeMs, state };
  cache.set(directory, entry);
  state.catch(() => {
    if (cache.get(directory) === entry) cache.delete(directory);
  });
  return state;
}
