// Finds the files a Python call created or changed in the workspace, so they become artifacts
// (a plot saved with savefig, a CSV written by pandas). Done in Node from the host side, never
// from what the kernel says, so sandboxed code cannot point an artifact at a host file: only
// regular files found under the workspace count, and symlinks are never followed.
import { lstat, readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { mediaTypeOf } from "../media-types.js";
import type { ToolArtifact } from "../tool.js";

type FileStamp = { size: number; modifiedNanoseconds: bigint };
export type WorkspaceSnapshot = Map<string, FileStamp>;

/** Bounds the walk so a cell that writes a million files cannot stall every later call. */
const maxEntries = 10_000;

/**
 * Every regular file under `root`, by path relative to it. Hidden files and folders (caches such
 * as .cache or .config, written because HOME is the workspace) are skipped: they are not results.
 */
export async function snapshotWorkspace(root: string): Promise<WorkspaceSnapshot> {
  const snapshot: WorkspaceSnapshot = new Map();
  const pending = [root];
  let seen = 0;
  for (let directory = pending.pop(); directory !== undefined; directory = pending.pop()) {
    let names: string[];
    try {
      names = await readdir(directory);
    } catch {
      continue; // Removed or made unreadable while we looked: nothing to report there.
    }
    for (const name of names) {
      if (name.startsWith(".") || ++seen > maxEntries) continue;
      const path = join(directory, name);
      const stat = await lstat(path, { bigint: true }).catch(() => undefined);
      if (stat?.isDirectory()) pending.push(path);
      else if (stat?.isFile()) {
        snapshot.set(relative(root, path), { size: Number(stat.size), modifiedNanoseconds: stat.mtimeNs });
      }
    }
  }
  return snapshot;
}

/** Files that are new in `after`, or whose size or modification time changed. */
export function changedFiles(root: string, before: WorkspaceSnapshot, after: WorkspaceSnapshot): ToolArtifact[] {
  const artifacts: ToolArtifact[] = [];
  for (const [name, stamp] of after) {
    const previous = before.get(name);
    if (previous && previous.size === stamp.size && previous.modifiedNanoseconds === stamp.modifiedNanoseconds) continue;
    artifacts.push({ path: join(root, name), name, mediaType: mediaTypeOf(name) });
  }
  return artifacts.sort((left, right) => left.name.localeCompare(right.name));
}
