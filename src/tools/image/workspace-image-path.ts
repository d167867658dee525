// Turns the path a model wrote into a workspace-relative image path, or a ToolError that says
// what to write instead. Paths are workspace-relative; `/workspace/...` is accepted too because
// that is what the Python sandbox calls the same folder. `..` and other absolute paths are
// refused here; links, folders and special files when the path is walked (see readWorkspaceImage).
import { isAbsolute, posix, sep } from "node:path";
import { z } from "zod";
import { ToolError } from "../../core/errors.js";
import { WorkspaceAccessError } from "../files/workspace-access-error.js";
import { WorkspaceDirectory } from "../files/workspace-directory.js";
import { formatBytes } from "./format-bytes.js";
import { describeWorkspaceImages, listWorkspaceImages } from "./workspace-images.js";

export const imagePathSchema = z
  .string()
  .min(1)
  .describe(
    "Path of the image, relative to the workspace: e.g. attachments/photo.png, screenshots/page-1.png, plot.png, images/crop-1.png.",
  );

const sandboxPrefix = "/workspace/";

/** The bytes of the image file the model named, read without following links; at most `maxBytes`. */
export async function readWorkspaceImage(
  workspace: string,
  requested: string,
  maxBytes: number,
  signal: AbortSignal,
): Promise<{ relative: string; bytes: Buffer }> {
  const relative = await imageRelativePath(workspace, requested);
  try {
    const file = await WorkspaceDirectory.with(workspace, (directory) => directory.readFile(relative, { maxBytes, signal }));
    return { relative, bytes: file.bytes };
  } catch (error) {
    if (!(error instanceof WorkspaceAccessError)) throw error;
    throw await withImageHint(error, workspace, relative, maxBytes);
  }
}

async function imageRelativePath(workspace: string, requested: string): Promise<string> {
  const written = requested.trim();
  const withoutPrefix = written.startsWith(sandboxPrefix) ? written.slice(sandboxPrefix.length) : written;
  if (withoutPrefix === "")
    throw new ToolError(`Give the path of an image file. ${describeWorkspaceImages(await listWorkspaceImages(workspace))}`);
  if (isAbsolute(withoutPrefix)) {
    throw new ToolError(
      `"${written}" is an absolute path outside the run's workspace. Paths are relative to the workspace (e.g. attachments/photo.png). ` +
        describeWorkspaceImages(await listWorkspaceImages(workspace)),
    );
  }
  const relativePath = posix.normalize(withoutPrefix.split(sep).join("/")).replace(/\/+$/, "");
  if (relativePath === ".." || relativePath.startsWith("../")) {
    throw new ToolError(
      `"${written}" points outside the run's workspace, which the image tools cannot read. ${describeWorkspaceImages(await listWorkspaceImages(workspace))}`,
    );
  }
  if (relativePath.includes("\0"))
    throw new ToolError(`"${written.replaceAll("\0", "\\0")}" contains a NUL character, which no file name can hold.`);
  return relativePath === "" ? "." : relativePath;
}

async function withImageHint(error: WorkspaceAccessError, workspace: string, relative: string, maxBytes: number): Promise<ToolError> {
  switch (error.reason) {
    case "missing":
      return new ToolError(`There is no file at "${relative}". ${describeWorkspaceImages(await listWorkspaceImages(workspace))}`);
    case "folder": {
      const everything = await listWorkspaceImages(workspace);
      const inside = everything.filter((path) => relative === "." || path.startsWith(`${relative}/`));
      return new ToolError(
        `"${relative}" is a folder, not an image file. ${describeWorkspaceImages(inside.length > 0 ? inside : everything)}`,
      );
    }
    case "too-large": {
      const size = await WorkspaceDirectory.with(workspace, (directory) => directory.info(relative)).then(
        ({ stats }) => `${formatBytes(stats.size)}, more than`,
        () => "more than",
      );
      return new ToolError(
        `"${relative}" is ${size} the ${formatBytes(maxBytes)} limit of the image tools. Ask the user for a smaller file.`,
      );
    }
    default:
      return error;
  }
}
