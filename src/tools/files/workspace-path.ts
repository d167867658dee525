// Turns the path a model wrote into a clean workspace-relative path, or a ToolError that says
// what to write instead. Paths are workspace-relative; `/workspace/...` is accepted too, because
// that is what the Python sandbox calls the same folder. A `..` segment or another absolute path
// is refused here; links are refused when the path is walked (see workspace-directory.ts).
import { isAbsolute } from "node:path";
import { ToolError } from "../../core/errors.js";

const sandboxRoot = "/workspace";

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
  if (path.includes("\0"))
    throw new ToolError(`"${written.replaceAll("\0", "\\0")}" contains a NUL character, which no file name can hold.`);
  const segments = path.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) {
    throw new ToolError(
      `"${written}" uses "..", which could leave the run's workspace; only files inside it can be read. Write the path from the workspace, e.g. attachments/data.csv.`,
    );
  }
  return segments.length === 0 ? "." : segments.join("/");
}
