import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

const screenshotFolder = "screenshots";

/**
 * Saves a PNG as `screenshots/shot-<n>.png` in the workspace, with the first free number, so
 * Python and the image tools can open it and a restarted browser never overwrites an older shot.
 */
export async function saveScreenshot(workspace: string, png: Buffer): Promise<{ path: string; name: string }> {
  const folder = join(workspace, screenshotFolder);
  await mkdir(folder, { recursive: true });
  for (let number = 1; ; number++) {
    const name = `${screenshotFolder}/shot-${number}.png`;
    const path = join(workspace, name);
    try {
      await writeFile(path, png, { flag: "wx" });
      return { path, name };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

/** Width and height from a PNG's header (the IHDR chunk that always comes first). */
export function pngDimensions(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
