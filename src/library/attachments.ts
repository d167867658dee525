import { copyFile, mkdir, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { ConfigError } from "../core/errors.js";
import type { ImagePart } from "../core/items.js";

/**
 * Copies the files a user attached into the run's workspace (`attachments/`), where every tool
 * (Python, files, images) can reach them, and says so in a line for the question. Images sent as
 * data URLs (over HTTP) are saved there too, as `image-1.png`, ...
 */
export async function copyAttachments(paths: string[], workspace: string, images: ImagePart[] = []): Promise<string | undefined> {
  const dataImages = images.flatMap((image) => {
    const match = /^data:image\/(png|jpeg|gif|webp);base64,(.*)$/s.exec(image.image_url);
    return match ? [{ extension: match[1] === "jpeg" ? "jpg" : (match[1] as string), bytes: Buffer.from(match[2] as string, "base64") }] : [];
  });
  if (paths.length === 0 && dataImages.length === 0) return undefined;
  const directory = join(workspace, "attachments");
  await mkdir(directory, { recursive: true });
  const used = new Set<string>();
  const lines: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) throw new ConfigError(`Cannot attach ${path}: no such file.`);
    let name = basename(path);
    for (let copy = 2; used.has(name); copy++) name = `${copy}-${basename(path)}`;
    used.add(name);
    await copyFile(path, join(directory, name));
    lines.push(`- attachments/${name} (${formatBytes(info.size)})`);
  }
  for (const [index, image] of dataImages.entries()) {
    const name = `image-${index + 1}.${image.extension}`;
    await writeFile(join(directory, name), image.bytes);
    lines.push(`- attachments/${name} (${formatBytes(image.bytes.length)}, the image shown above)`);
  }
  return `Attached files, in the workspace (in Python: /workspace/attachments/...):\n${lines.join("\n")}`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
