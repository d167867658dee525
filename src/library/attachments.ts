import { constants } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { basename } from "node:path";
import { ConfigError } from "../core/errors.js";
import type { ImagePart } from "../core/items.js";
import { WorkspaceDirectory } from "../tools/files/workspace-directory.js";

/**
 * Copies the files a user attached into the run's workspace (`attachments/`), where every tool
 * (Python, files, images) can reach them, and says so in a line for the question. Images sent as
 * data URLs (over HTTP) are saved there too, as `image-1.png`, ... Writes go through the folder's
 * descriptor and replace whatever holds a name (never following a link), since sandboxed code
 * of an earlier turn may have left anything in the workspace.
 */
export async function copyAttachments(paths: string[], workspace: string, images: ImagePart[] = []): Promise<string | undefined> {
  const dataImages = images.flatMap((image) => {
    const match = /^data:image\/(png|jpeg|gif|webp);base64,(.*)$/s.exec(image.image_url);
    return match
      ? [{ extension: match[1] === "jpeg" ? "jpg" : (match[1] as string), bytes: Buffer.from(match[2] as string, "base64") }]
      : [];
  });
  if (paths.length === 0 && dataImages.length === 0) return undefined;
  // The user's own files are read first, from the paths they gave (not workspace paths).
  const sources: Attachment[] = [];
  try {
    for (const path of paths) sources.push(await openAttachment(path));
    const files: { name: string; data: Uint8Array | AsyncIterable<Uint8Array>; note: string }[] = [];
    const used = new Set<string>();
    for (const [index, path] of paths.entries()) {
      const source = sources[index] as Attachment;
      let name = basename(path);
      for (let copy = 2; used.has(name); copy++) name = `${copy}-${basename(path)}`;
      used.add(name);
      files.push({ name, data: source.handle.createReadStream({ autoClose: false }), note: formatBytes(source.size) });
    }
    for (const [index, image] of dataImages.entries()) {
      files.push({
        name: `image-${index + 1}.${image.extension}`,
        data: image.bytes,
        note: `${formatBytes(image.bytes.length)}, the image shown above`,
      });
    }
    await WorkspaceDirectory.with(
      workspace,
      async (root) => {
        const directory = await root.makeDirectory("attachments");
        try {
          for (const file of files) await directory.writeFile(file.name, file.data, { exclusive: false });
        } finally {
          await directory.close();
        }
      },
      { create: true },
    );
    const lines = files.map((file) => `- attachments/${file.name} (${file.note})`);
    return `Attached files, in the workspace (in Python: /workspace/attachments/...):\n${lines.join("\n")}`;
  } finally {
    await Promise.all(sources.map((source) => source.handle.close()));
  }
}

type Attachment = { handle: FileHandle; size: number };

/** The user's file, opened; anything but a regular file (a folder, a FIFO that would block) is refused. */
async function openAttachment(path: string): Promise<Attachment> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => undefined); // Reported just below, naming the file.
  if (!handle) throw new ConfigError(`Cannot attach ${path}: no such file.`);
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    throw new ConfigError(`Cannot attach ${path}: it is not a regular file.`);
  }
  return { handle, size: stats.size };
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
