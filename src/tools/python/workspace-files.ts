// Finds the files a Python call created or changed in the workspace, so they become artifacts
// (a plot saved with savefig, a CSV written by pandas). Done in Node from the host side, never
// from what the kernel says, so sandboxed code cannot point an artifact at a host file: only
// regular files found under the workspace count, and symlinks are never followed. The walk goes
// through held directory descriptors, so a folder swapped for a link mid-walk leads nowhere.
import { join } from "node:path";
import { WorkspaceDirectory } from "../files/workspace-directory.js";
import { walkWorkspace } from "../files/workspace-walk.js";
import { mediaTypeOf } from "../media-types.js";
import type { ToolArtifact } from "../tool.js";

type FileStamp = { size: number; modifiedMs: number };
export type WorkspaceSnapshot = Map<string, FileStamp>;

/** Bounds the walk so a cell that writes a million files cannot stall every later call. */
const maxEntries = 10_000;

/**
 * Every regular file under `root`, by path relative to it. Hidden files and folders (caches such
 * as .cache or .config, written because HOME is the workspace) are skipped: they are not results.
 */
export async function snapshotWorkspace(root: string): Promise<WorkspaceSnapshot> {
  const snapshot: WorkspaceSnapshot = new Map();
  // No workspace yet: nothing to snapshot.
  const workspace = await WorkspaceDirectory.open(root).catch(() => undefined);
  if (!workspace) return snapshot;
  let seen = 0;
  try {
    await walkWorkspace(workspace, (folder, { name, stats }) => {
      if (name.startsWith(".") || ++seen > maxEntries) return "skip";
      if (stats.isFile())
        snapshot.set(folder.relative === "." ? name : `${folder.relative}/${name}`, { size: stats.size, modifiedMs: stats.mtimeMs });
      return "descend";
    });
  } finally {
    await workspace.close();
  }
  return snapshot;
}

/** Files that are new in `after`, or whose size or modification time changed. */
export function changedFiles(root: string, before: WorkspaceSnapshot, after: WorkspaceSnapshot): ToolArtifact[] {
  const artifacts: ToolArtifact[] = [];
  for (const [name, stamp] of after) {
    const previous = before.get(name);
    if (previous && previous.size === stamp.size && previous.modifiedMs === stamp.modifiedMs) continue;
    artifacts.push({ path: join(root, name), name, mediaType: mediaTypeOf(name) });
  }
  return artifacts.sort((left, right) => left.name.localeCompare(right.name));
}
