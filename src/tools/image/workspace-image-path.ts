// Turns the path a model wrote into a file inside the run's workspace, or a ToolError that says
// what to write instead. Paths are workspace-relative; `/workspace/...` is accepted too because
// that is what the Python sandbox calls the same folder. Anything that leaves the workspace —
// `..`, another absolute path, a symlink pointing out — is refused.
import { lstat, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, normalize, posix, sep } from "node:path";
import { z } from "zod";
import { ToolError } from "../../core/errors.js";
import { describeWorkspaceImages, listWorkspaceImages } from "./workspace-images.js";

export type WorkspaceFile = {
  /** The file's real path, symlinks resolved. */
  absolute: string;
  /** The path as shown to the model: workspace-relative, with `/`. */
  relative: string;
};

export const imagePathSchema = z
  .string()
  .min(1)
  .describe("Path of the image, relative to the workspace: e.g. attachments/photo.png, screenshots/page-1.png, plot.png, images/crop-1.png.");

const sandboxPrefix = "/workspace/";

export async function resolveWorkspaceImage(workspace: string, requested: string): Promise<WorkspaceFile> {
  const written = requested.trim();
  const withoutPrefix = written.startsWith(sandboxPrefix) ? written.slice(sandboxPrefix.length) : written;
  if (withoutPrefix === "") throw new ToolError(`Give the path of an image file. ${describeWorkspaceImages(await listWorkspaceImages(workspace))}`);
  if (isAbsolute(withoutPrefix)) {
    throw new ToolError(
      `"${written}" is an absolute path outside the run's workspace. Paths are relative to the workspace (e.g. attachments/photo.png). ` +
        describeWorkspaceImages(await listWorkspaceImages(workspace)),
    );
  }
  const relativePath = posix.normalize(withoutPrefix.split(sep).join("/"));
  if (relativePath === ".." || relativePath.startsWith("../")) {
    throw new ToolError(`"${written}" points outside the run's workspace, which the image tools cannot read. ${describeWorkspaceImages(await listWorkspaceImages(workspace))}`);
  }

  const root = await realpath(workspace);
  const candidate = join(root, normalize(relativePath));
  const link = await lstat(candidate).catch(() => undefined);
  if (!link) throw new ToolError(`There is no file at "${relativePath}". ${describeWorkspaceImages(await listWorkspaceImages(workspace))}`);
  const absolute = await realpath(candidate).catch(() => undefined);
  if (absolute === undefined) throw new ToolError(`"${relativePath}" is a broken symbolic link. ${describeWorkspaceImages(await listWorkspaceImages(workspace))}`);
  if (absolute !== root && !absolute.startsWith(root + sep)) {
    throw new ToolError(`"${relativePath}" is a symbolic link to a file outside the run's workspace; the image tools refuse to follow it.`);
  }
  const target = await stat(absolute).catch(() => undefined);
  if (!target) throw new ToolError(`"${relativePath}" disappeared while it was being opened. ${describeWorkspaceImages(await listWorkspaceImages(workspace))}`);
  if (target.isDirectory()) {
    const inside = (await listWorkspaceImages(workspace)).filter((path) => relativePath === "." || path.startsWith(`${relativePath}/`));
    const listing = inside.length > 0 ? describeWorkspaceImages(inside) : describeWorkspaceImages(await listWorkspaceImages(workspace));
    throw new ToolError(`"${relativePath}" is a folder, not an image file. ${listing}`);
  }
  if (!target.isFile()) throw new ToolError(`"${relativePath}" is not a regular file.`);
  return { absolute, relative: relativePath };
}
