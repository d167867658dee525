// The image files in a run's workspace, so a wrong path can be answered with the paths that
// exist. Walked through held directory descriptors: links are never followed, and hidden
// folders (caches) are skipped, like the Python tool's artifact scan.
import { extname } from "node:path";
import { WorkspaceDirectory } from "../files/workspace-directory.js";
import { walkWorkspace } from "../files/workspace-walk.js";

const imageExtensions = new Set([".png", ".jpg", ".jpeg", ".webp", ".gif", ".tif", ".tiff", ".avif", ".heic", ".heif", ".svg"]);

/** Bounds the walk so a workspace with a million files cannot stall a call. */
const maxEntries = 10_000;
/** How many paths an error message names before it says how many more there are. */
const namedInMessages = 30;

/** Workspace-relative paths (with `/`) of image files, sorted. */
export async function listWorkspaceImages(workspace: string): Promise<string[]> {
  const found: string[] = [];
  // No workspace yet: no images.
  const root = await WorkspaceDirectory.open(workspace).catch(() => undefined);
  if (!root) return found;
  let seen = 0;
  try {
    await walkWorkspace(root, (folder, { name, stats }) => {
      if (name.startsWith(".") || ++seen > maxEntries) return "skip";
      if (stats.isFile() && imageExtensions.has(extname(name).toLowerCase()))
        found.push(folder.relative === "." ? name : `${folder.relative}/${name}`);
      return "descend";
    });
  } finally {
    await root.close();
  }
  return found.sort((left, right) => left.localeCompare(right));
}

/** One sentence naming the workspace's images, for error messages. */
export function describeWorkspaceImages(paths: string[]): string {
  if (paths.length === 0) return "There are no image files in the workspace yet.";
  const named = paths.slice(0, namedInMessages).join(", ");
  const more = paths.length > namedInMessages ? ` (and ${paths.length - namedInMessages} more)` : "";
  return `Images in the workspace: ${named}${more}.`;
}
