// How much disk a workspace takes, measured from the host: the blocks its files, folders and
// links really use (a sparse file counts what it holds), each inode once however many links it
// has, and nothing on another filesystem. The walk goes through held folder descriptors (see
// workspace-directory.ts), so a folder swapped for a link mid-walk never leads it out of the
// workspace; while the sandbox runs, its cgroup is also frozen during the walk (see
// disk-quota.ts), so code cannot move files out of the way of the count.
import { WorkspaceDirectory } from "../files/workspace-directory.js";

/** Beyond this many entries the walk stops and the workspace counts as over its limits. */
export const maxWorkspaceEntries = 200_000;

/** `tooManyEntries`: the walk gave up (too many entries, or folders nested deeper than it can hold open). */
export type WorkspaceUsage = { bytes: number; entries: number; tooManyEntries: boolean };

type Tally = WorkspaceUsage & { device: number; counted: Set<number> };

export async function measureWorkspace(root: string): Promise<WorkspaceUsage> {
  const workspace = await WorkspaceDirectory.open(root).catch(() => undefined); // No workspace yet: it holds nothing.
  if (!workspace) return { bytes: 0, entries: 0, tooManyEntries: false };
  try {
    const { stats } = await workspace.info(".");
    const tally: Tally = { bytes: stats.blocks * 512, entries: 0, tooManyEntries: false, device: stats.dev, counted: new Set([stats.ino]) };
    await measureFolder(workspace, tally);
    return { bytes: tally.bytes, entries: tally.entries, tooManyEntries: tally.tooManyEntries };
  } finally {
    await workspace.close();
  }
}

async function measureFolder(folder: WorkspaceDirectory, tally: Tally): Promise<void> {
  for (const { name, stats } of await folder.entries(maxWorkspaceEntries - tally.entries + 1)) {
    if (++tally.entries > maxWorkspaceEntries) {
      tally.tooManyEntries = true;
      return;
    }
    if (stats.dev !== tally.device || tally.counted.has(stats.ino)) continue;
    tally.counted.add(stats.ino);
    tally.bytes += stats.blocks * 512;
    if (!stats.isDirectory()) continue;
    const inner = await folder.directory(name).catch((error: NodeJS.ErrnoException) => {
      // Out of descriptors: nested deeper than the walk can hold open. Giving up beats undercounting.
      if (error.code === "EMFILE" || error.code === "ENFILE") tally.tooManyEntries = true;
      return undefined; // Otherwise removed or replaced since it was listed: nothing of it to count.
    });
    if (!inner) {
      if (tally.tooManyEntries) return;
      continue;
    }
    try {
      await measureFolder(inner, tally);
    } finally {
      await inner.close();
    }
    if (tally.tooManyEntries) return;
  }
}
