// Tool outputs too large for the context are kept whole in the run's workspace, one file per
// call, where `recall` and `read_file` (and Python) can reach them. Written and read through
// descriptor-relative, no-follow opens: the sandbox can write the workspace too.

import { WorkspaceAccessError } from "../files/workspace-access-error.js";
import { WorkspaceDirectory } from "../files/workspace-directory.js";

export const offloadFolder = "tool-outputs";

/** The file's path in the workspace; call ids are provider-made, so only safe characters are kept. */
export function offloadedOutputPath(callId: string): string {
  return `${offloadFolder}/${fileNameOf(callId)}`;
}

function fileNameOf(callId: string): string {
  return `${callId.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 120) || "call"}.txt`;
}

export async function writeOffloadedOutput(workspace: string, callId: string, text: string): Promise<string> {
  await WorkspaceDirectory.with(
    workspace,
    async (root) => {
      const folder = await root.makeDirectory(offloadFolder);
      try {
        await folder.writeFile(fileNameOf(callId), Buffer.from(text), { exclusive: false });
      } finally {
        await folder.close();
      }
    },
    { create: true },
  );
  return offloadedOutputPath(callId);
}

/** The whole output of an offloaded call, or undefined when it was never offloaded. */
export async function readOffloadedOutput(
  workspace: string,
  callId: string,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<string | undefined> {
  try {
    return await WorkspaceDirectory.with(workspace, async (root) => {
      const { bytes } = await root.readFile(offloadedOutputPath(callId), { maxBytes, signal });
      return bytes.toString("utf8");
    });
  } catch (error) {
    if (error instanceof WorkspaceAccessError ? error.reason === "missing" : (error as NodeJS.ErrnoException).code === "ENOENT")
      return undefined;
    throw error;
  }
}
