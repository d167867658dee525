import type { DirectoryEntry, WorkspaceDirectory } from "./workspace-directory.js";

/** Deeper folders are not entered: only the folders on the current path are held open. */
const maxDepth = 64;

/** What the visitor wants done with a folder it was shown. */
export type WalkDecision = "descend" | "skip";

/**
 * Visits every entry under `folder`, depth first, through held descriptors (never a path walked
 * again, never a link followed). A folder is entered when `visit` says "descend"; one removed or
 * replaced since it was listed is passed over.
 */
export async function walkWorkspace(
  folder: WorkspaceDirectory,
  visit: (folder: WorkspaceDirectory, entry: DirectoryEntry) => Promise<WalkDecision> | WalkDecision,
  depth = 0,
): Promise<void> {
  for (const entry of await folder.entries()) {
    const decision = await visit(folder, entry);
    if (decision !== "descend" || !entry.stats.isDirectory() || depth >= maxDepth) continue;
    const inner = await folder.directory(entry.name).catch(() => undefined); // Gone or replaced since the listing: skipped.
    if (!inner) continue;
    try {
      await walkWorkspace(inner, visit, depth + 1);
    } finally {
      await inner.close();
    }
  }
}
