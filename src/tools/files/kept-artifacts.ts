// Artifacts are copied out of the workspace once, when they are recorded, into a folder beside
// it that sandboxed code cannot reach (only the workspace is mounted into the sandbox):
// `<home>/runs/<run id>/artifacts/<key>/<file name>`. What the user downloads later is that copy,
// so it is what the tool made at the time (immutable after the fact), and serving it never reads
// the workspace. The copy is read through held directory descriptors (see WorkspaceDirectory):
// regular files only, never a link, never a FIFO or device, and at most `maxKeptArtifactBytes`.
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { chmod, lstat, mkdir, open, readdir, rm, type FileHandle } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, sep } from "node:path";
import type { ToolArtifact } from "../tool.js";
import { WorkspaceAccessError } from "./workspace-access-error.js";
import { WorkspaceDirectory } from "./workspace-directory.js";

/** Larger files are recorded but not kept: the item keeps their workspace path and is not served. */
export const maxKeptArtifactBytes = 100 * 1024 * 1024;
/**
 * Copies of one run's artifacts stop here, so that code rewriting a large file in every call
 * cannot fill Ponder's home (the workspace's own disk quota does not count these copies).
 */
export const maxKeptBytesPerRun = 1024 * 1024 * 1024;

/** The fields of an artifact item, with `path` naming the kept copy when there is one. */
export type RecordedArtifact = { name: string; path: string; media_type: string; bytes: number };

/** Where the artifacts of the run whose workspace is `workspace` are kept. */
export function artifactStorageOf(workspace: string): string {
  return join(dirname(workspace), "artifacts");
}

/**
 * Whether `path` is a kept copy under `<home>/runs/<run>/artifacts/`: only those are served.
 * A lexical check suffices: nothing on that path is within the sandbox's reach.
 */
export function isKeptArtifactPath(home: string, path: string): boolean {
  if (!isAbsolute(path)) return false;
  const parts = relative(join(home, "runs"), path).split(sep);
  return parts.length === 4 && parts[1] === "artifacts" && parts.every((part) => part !== "" && part !== "." && part !== "..");
}

/**
 * Keeps a copy of each artifact a tool reported. One that is not a regular file by the time it
 * is copied (removed, replaced by a link, a FIFO) is left out; one over the size limit is
 * recorded without a copy.
 */
export async function keepArtifacts(workspace: string, artifacts: readonly ToolArtifact[]): Promise<RecordedArtifact[]> {
  if (artifacts.length === 0) return [];
  const kept = await Promise.all(artifacts.map((artifact) => keepArtifact(workspace, artifact.path)));
  return artifacts.flatMap((artifact, index) => {
    const copy = kept[index];
    return copy ? [{ name: artifact.name, path: copy.path, media_type: artifact.mediaType, bytes: copy.bytes }] : [];
  });
}

/** Copies one file; undefined when it is not a regular file. Failing to write the copy is an error. */
export async function keepArtifact(workspace: string, path: string): Promise<{ path: string; bytes: number } | undefined> {
  const inWorkspace = relative(workspace, path);
  if (inWorkspace === "" || inWorkspace.startsWith("..") || isAbsolute(inWorkspace)) return keepHostFile(workspace, path);
  const directory = await WorkspaceDirectory.open(workspace).catch(notAFile);
  if (!directory) return undefined;
  try {
    const file = await directory.openFile(inWorkspace.split(sep).join("/")).catch(notAFile);
    if (!file) return undefined;
    try {
      return await copyInto(workspace, path, file.handle, file.stats.size);
    } finally {
      await file.handle.close();
    }
  } finally {
    await directory.close();
  }
}

/** What the sandbox left at the path (nothing, a link, a FIFO) is no artifact; other errors stand. */
function notAFile(error: unknown): undefined {
  if (error instanceof WorkspaceAccessError) return undefined;
  throw error;
}

/** A file a tool wrote outside the workspace (a research report): host-controlled, opened without following a final link. */
async function keepHostFile(workspace: string, path: string): Promise<{ path: string; bytes: number } | undefined> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined); // Not there (the tool never wrote it): nothing to keep.
  if (!handle) return undefined;
  try {
    const stats = await handle.stat();
    return stats.isFile() ? await copyInto(workspace, path, handle, stats.size) : undefined;
  } finally {
    await handle.close();
  }
}

/** Keeps bytes Ponder itself made (a research report) as an artifact of the run whose workspace is `workspace`. */
export async function keepBytes(workspace: string, name: string, bytes: Uint8Array): Promise<string> {
  const { target, handle } = await createKeptFile(workspace, name);
  try {
    await handle.writeFile(bytes);
  } finally {
    await handle.close();
  }
  await chmod(target, 0o444);
  return target;
}

async function copyInto(workspace: string, path: string, source: FileHandle, size: number): Promise<{ path: string; bytes: number }> {
  if (size > maxKeptArtifactBytes || (await keptBytes(workspace)) + size > maxKeptBytesPerRun) return { path, bytes: size };
  const { target, handle: written } = await createKeptFile(workspace, basename(path));
  let total = 0;
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await source.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      // It grew past the limit while being copied: recorded without a copy, like a larger file.
      if (total > maxKeptArtifactBytes) break;
      await written.write(chunk, 0, bytesRead);
    }
  } finally {
    await written.close();
  }
  if (total > maxKeptArtifactBytes) {
    await rm(dirname(target), { recursive: true, force: true });
    return { path, bytes: total };
  }
  await chmod(target, 0o444);
  return { path: target, bytes: total };
}

/** What the run's kept copies take: `<storage>/<key>/<name>` each. */
async function keptBytes(workspace: string): Promise<number> {
  const storage = artifactStorageOf(workspace);
  const keys = await readdir(storage).catch(() => [] as string[]); // Nothing kept yet.
  let total = 0;
  // Copies removed while counting take nothing.
  for (const key of keys) {
    for (const name of await readdir(join(storage, key)).catch(() => [] as string[]))
      total += (await lstat(join(storage, key, name)).catch(() => undefined))?.size ?? 0;
  }
  return total;
}

/** A new file `<storage>/<random key>/<name>`: the key keeps copies of same-named files apart. */
async function createKeptFile(workspace: string, name: string): Promise<{ target: string; handle: FileHandle }> {
  const folder = join(artifactStorageOf(workspace), randomBytes(8).toString("hex"));
  await mkdir(folder, { recursive: true });
  const target = join(folder, name);
  return { target, handle: await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600) };
}
