import type { AnyTool } from "../tool.js";
import { createListFilesTool } from "./list-files-tool.js";
import { createReadFileTool } from "./read-file-tool.js";
import type { ReadFileSettings } from "./read-file-settings.js";

export { createListFilesTool } from "./list-files-tool.js";
export type { ListFilesArguments } from "./list-files-tool.js";
export { createReadFileTool, fileCacheResource } from "./read-file-tool.js";
export { readFileSettingsSchema } from "./read-file-settings.js";
export type { ReadFileArguments } from "./read-file-tool.js";
export type { ReadFileSettings } from "./read-file-settings.js";
export { workspaceRelative } from "./workspace-path.js";
export { WorkspaceDirectory } from "./workspace-directory.js";
export { WorkspaceAccessError } from "./workspace-access-error.js";

/** read_file and list_files. */
export function createFileTools(settings: ReadFileSettings = {}): AnyTool[] {
  return [createReadFileTool(settings), createListFilesTool()];
}
