import { ToolError } from "../../core/errors.js";

/**
 * Why a workspace path could not be used: "missing" (nothing there), "link" (a symbolic link,
 * never followed), "folder" (a file was wanted), "not-folder", "special" (FIFO, socket, device),
 * "too-large", "unreadable" (permissions). A ToolError, so the model reads the message; callers may add a hint by reason.
 */
export type WorkspaceAccessReason = "missing" | "link" | "folder" | "not-folder" | "special" | "too-large" | "unreadable";

export class WorkspaceAccessError extends ToolError {
  constructor(
    readonly reason: WorkspaceAccessReason,
    message: string,
  ) {
    super(message);
  }
}
