// How much disk a workspace takes, measured from the host: the blocks its files, folders and
// links really use (a sparse file counts what it holds), each inode once however many links it
// has, and nothing on another filesystem. Links are never followed. While the sandbox runs, its
// cgroup is frozen during the walk (see disk-quota.ts), so code cannot move files out of the way
// of the count, nor swap a folder for a link to elsewhere.
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";

/** Beyond this many entries the walk stops and the workspace counts as over its limits. */
export const maxWorkspaceEntries = 200_000;

/** `tooManyEntries`: the walk gave up (too many entries, or folders nested past what a path can name). */
export type WorkspaceUsage = { bytes: number; entries: number; tooManyEntries: boolean };

export async function measureWorkspace(root: string): Promise<WorkspaceUsage> {
  const rootStat = await lstat(root).catch(() => undefined);
  if (!rootStat?.isDirectory()) return { bytes: 0, entries: 0, tooManyEntries: false };
  const counted = new Set<number>([rootStat.ino]);
  let bytes = rootStat.blocks * 512;
  let entries = 0;
  const pending = [root];
  for (let directory = pending.pop(); directory !== undefined; directory = pending.pop()) {
    const names = await readdir(directory).catch((error: NodeJS.ErrnoException) => (tooDeep(error) ? undefined : []));
    if (!names) return { bytes, entries, tooManyEntries: true };
    for (const name of names) {
      if (++entries > maxWorkspaceEntries) return { bytes, entries, tooManyEntries: true };
      const path = join(directory, name);
      const stat = await lstat(path).catch((error: NodeJS.ErrnoException) => (tooDeep(error) ? null : undefined));
      if (stat === null) return { bytes, entries, tooManyEntries: true };
      if (!stat || stat.dev !== rootStat.dev || counted.has(stat.ino)) continue;
      counted.add(stat.ino);
      bytes += stat.blocks * 512;
      if (stat.isDirectory()) pending.push(path);
    }
  }
  return { bytes, entries, tooManyEntries: false };
}

/**
 * An entry gone since it was listed is skipped; one nested too deep for a path to reach would be
 * space that no walk can see, so the walk gives up rather than undercount.
 */
function tooDeep(error: NodeJS.ErrnoException): boolean {
  return error.code === "ENAMETOOLONG";
}
