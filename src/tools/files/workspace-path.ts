// Turns the path a model wrote into a file or folder inside the run's workspace, or a ToolError
// that says what to write instead. Paths are workspace-relative; `/workspace/...` is accepted
// too, because that is what the Python sandbox calls the same folder. Anything that would leave
// the workspace — a `..` segment, another absolute path, a symlink pointing out — is refused.
import { lstat, realpath, stat } from "node:fs/promises";
import type { Stats } from "node:fs";
import { isAbsolute, join, sep } from "node:path";
import { ToolError } from "../../core/errors.js";

export type WorkspaceEntry = {
  /** The real path on this machine, symlinks resolved. */
  absolute: string;
  /** The path as the model should write it: workspace-relative with `/`, "." for the workspace itself. */
  relative: string;
  stats: Stats;
};

const sandboxRoot = "/workspace";

export async function resolveWorkspacePath(workspace: string, requested: string): Promise<WorkspaceEntry> {
  const written = requested.trim();
  const relativePath = workspaceRelative(written);
  const root = await realpath(workspace).catch(() => {
    throw new ToolError("The run's workspace does not exist yet: no files have been attached or written.");
  });
  const candidate = relativePath === "." ? root : join(root, ...relativePath.split("/"));
  const link = await lstat(candidate).catch(() => undefined);
  if (!link) throw new ToolError(`There is no file or folder at "${relativePath}" in the workspace. Call list_files to see what is there.`);
  const absolute = await realpath(candidate).catch(() => undefined);
  if (absolute === undefined) throw new ToolError(`"${relativePath}" is a broken symbolic link: what it points to does not exist.`);
  if (absolute !== root && !absolute.startsWith(root + sep)) {
    throw new ToolError(`"${relativePath}" is a symbolic link to something outside the run's workspace; it cannot be read.`);
  }
  return { absolute, relative: relativePath, stats: await stat(absolute) };
}

/** The written path as a clean workspace-relative path, or a ToolError for one that leaves the workspace. */
export function workspaceRelative(written: string): string {
  let path = written.replaceAll("\\", "/");
  if (path === sandboxRoot || path === `${sandboxRoot}/`) return ".";
  if (path.startsWith(`${sandboxRoot}/`)) path = path.slice(sandboxRoot.length + 1);
  if (isAbsolute(path) || /^[a-zA-Z]:\//.test(path)) {
    throw new ToolError(
      `"${written}" is an absolute path outside the run's workspace. Paths are relative to the workspace, e.g. attachments/data.csv (or /workspace/attachments/data.csv).`,
    );
  }
  const segments = path.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) {
    throw new ToolError(`"${written}" uses "..", which could leave the run's workspace; only files inside it can be read. Write the path from the workspace, e.g. attachments/data.csv.`);
  }
  return segments.length === 0 ? "." : segments.join("/");
}
