import { copyFile, mkdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { ConfigError } from "../core/errors.js";

/**
 * Copies the files a user attached into the run's workspace (`attachments/`), where every tool
 * (Python, files, images) can reach them, and says so in a line for the question.
 */
export async function copyAttachments(paths: string[], workspace: string): Promise<string | undefined> {
  if (paths.length === 0) return undefined;
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
  return `Attached files, in the workspace (in Python: /workspace/attachments/...):\n${lines.join("\n")}`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
