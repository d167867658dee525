import { join } from "node:path";
import { WorkspaceDirectory } from "../files/workspace-directory.js";

const screenshotFolder = "screenshots";

/**
 * Saves a PNG as `screenshots/shot-<n>.png` in the workspace, with the first free number, so
 * Python and the image tools can open it and a restarted browser never overwrites an older shot.
 * Written through the folder's descriptor (see WorkspaceDirectory): a link that sandboxed code
 * puts in place of `screenshots` cannot redirect the write.
 */
export async function saveScreenshot(workspace: string, png: Buffer): Promise<{ path: string; name: string }> {
  return WorkspaceDirectory.with(
    workspace,
    async (root) => {
      const folder = await root.makeDirectory(screenshotFolder);
      try {
        for (let number = 1; ; number++) {
          const name = `shot-${number}.png`;
          try {
            await folder.writeFile(name, png, { exclusive: true });
            return { path: join(workspace, screenshotFolder, name), name: `${screenshotFolder}/${name}` };
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
          }
        }
      } finally {
        await folder.close();
      }
    },
    { create: true },
  );
}

/** Width and height from a PNG's header (the IHDR chunk that always comes first). */
export function pngDimensions(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
