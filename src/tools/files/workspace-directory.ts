// The one way host code reaches files inside a workspace. Sandboxed code owns the workspace and
// can swap any folder or file in it for a symbolic link at any moment, so a path checked once
// and then opened again can lead anywhere on the host. Node has no openat binding, so each step
// goes through the directory descriptor already held: `/proc/self/fd/<dir>/<name>` looks `name`
// up in exactly that directory, however it has been renamed or replaced since, and O_NOFOLLOW
// refuses a link in that single component. The last component is opened with O_PATH, which
// opens nothing (a FIFO cannot block, a device is never really opened); only once fstat says it
// is a regular file is it opened for reading, through its own descriptor. Links are never
// followed: the caller is told where one points instead. See docs/sandbox.md.
import { constants, type Stats } from "node:fs";
import { chown, lchown, mkdir, open, readdir, readlink, rename, unlink, type FileHandle } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { WorkspaceAccessError } from "./workspace-access-error.js";
import { kindOf } from "./entry-kind.js";
import { logged, logger } from "../../logging/logger.js";

const log = logger("tools.files");

/** O_PATH from <fcntl.h> on Linux x86_64 and arm64; Node does not export it. */
const openPathOnly = 0o10000000;
const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_DIRECTORY, O_NONBLOCK } = constants;

export type DirectoryEntry = { name: string; stats: Stats };

const maxEntriesPerFolder = 10_000;

/** What a lookup found, described without following it. */
export type EntryInfo = { relative: string; stats: Stats };

export class WorkspaceDirectory {
  private constructor(
    private readonly handle: FileHandle,
    /** Workspace-relative path of this folder, "." for the workspace itself. */
    readonly relative: string,
  ) {}

  /** The workspace folder itself. Its own path is the host's (home/runs/<id>/workspace), not the sandbox's. */
  static async open(root: string, options: { create?: boolean } = {}): Promise<WorkspaceDirectory> {
    if (options.create) await mkdir(root, { recursive: true });
    const handle = await open(root, openPathOnly | O_DIRECTORY | O_NOFOLLOW).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT")
        throw new WorkspaceAccessError("missing", "The run's workspace does not exist yet: no files have been attached or written.");
      throw error;
    });
    return new WorkspaceDirectory(handle, ".");
  }

  /** Runs `work` on the workspace at `root` and closes it afterwards. */
  static async with<T>(root: string, work: (workspace: WorkspaceDirectory) => Promise<T>, options: { create?: boolean } = {}): Promise<T> {
    const workspace = await WorkspaceDirectory.open(root, options);
    try {
      return await work(workspace);
    } finally {
      await workspace.close();
    }
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  /** Metadata of the entry at `relative` (a link is described, not followed). */
  async info(relative: string): Promise<EntryInfo> {
    const entry = await this.lookup(relative);
    await entry.handle.close();
    return { relative: entry.relative, stats: entry.stats };
  }

  /** The folder at `relative`, held by its descriptor; close it when done. */
  async directory(relative: string): Promise<WorkspaceDirectory> {
    const entry = await this.lookup(relative);
    if (!entry.stats.isDirectory()) {
      await entry.handle.close();
      throw await this.notA("folder", entry);
    }
    return new WorkspaceDirectory(entry.handle, entry.relative);
  }

  /**
   * The names in this folder with what each is (links and special files described, never
   * followed). At most `limit` names are looked at, so that a folder of a million files cannot
   * keep the host busy; callers bound their walks further.
   */
  async entries(limit = maxEntriesPerFolder): Promise<DirectoryEntry[]> {
    // A folder removed since it was opened lists nothing.
    const names = (await readdir(this.procPath()).catch(() => [] as string[])).slice(0, limit);
    const found = await Promise.all(
      names.map(async (name) => {
        const stats = await this.statChild(name);
        return stats ? [{ name, stats }] : [];
      }),
    );
    return found.flat();
  }

  /**
   * The regular file at `relative`, opened for reading; close it when done. Folders, links,
   * FIFOs, sockets and devices are refused without being opened for reading.
   */
  async openFile(relative: string): Promise<{ handle: FileHandle; stats: Stats; relative: string }> {
    const entry = await this.lookup(relative);
    try {
      if (!entry.stats.isFile()) throw await this.notA("file", entry);
      // Its own descriptor's magic link names this very inode; O_NONBLOCK is a second guard.
      const handle = await open(`/proc/self/fd/${entry.handle.fd}`, O_RDONLY | O_NONBLOCK).catch((error: NodeJS.ErrnoException) => {
        throw new WorkspaceAccessError(
          "unreadable",
          `"${entry.relative}" could not be opened for reading (${error.code ?? error.message}).`,
        );
      });
      return { handle, stats: entry.stats, relative: entry.relative };
    } finally {
      await entry.handle.close();
    }
  }

  /** The bytes of the regular file at `relative` (see openFile), at most `maxBytes` of them. */
  async readFile(
    relative: string,
    options: { maxBytes: number; signal?: AbortSignal },
  ): Promise<{ bytes: Buffer; stats: Stats; relative: string }> {
    const file = await this.openFile(relative);
    try {
      if (file.stats.size > options.maxBytes) throw tooLarge(file.relative, file.stats.size, options.maxBytes);
      const bytes = await readBounded(file.handle, options.maxBytes, options.signal);
      if (bytes === undefined) throw tooLarge(file.relative, options.maxBytes + 1, options.maxBytes);
      return { bytes, stats: file.stats, relative: file.relative };
    } finally {
      await file.handle.close();
    }
  }

  /**
   * Writes a new file in this folder. `exclusive` fails with EEXIST when the name is taken;
   * otherwise the file replaces whatever has the name (a link included, never followed) by an
   * atomic rename from a temporary name in the same folder.
   */
  async writeFile(name: string, bytes: Uint8Array | AsyncIterable<Uint8Array>, options: { exclusive: boolean }): Promise<void> {
    checkName(name);
    if (options.exclusive) return this.createWith(name, bytes);
    const temporary = `.ponder-${randomBytes(6).toString("hex")}.tmp`;
    try {
      await this.createWith(temporary, bytes);
      await rename(this.childPath(temporary), this.childPath(name));
    } catch (error) {
      await unlink(this.childPath(temporary)).catch(logged(log, "warn", "a temporary file was left in the workspace"));
      throw error;
    }
  }

  /** The folder `name` in this one, made if missing; a file or link of that name is refused. */
  async makeDirectory(name: string): Promise<WorkspaceDirectory> {
    checkName(name);
    await mkdir(this.childPath(name), { mode: 0o755 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
    return this.directory(name);
  }

  /** Changes the owner of this folder itself, through its descriptor. */
  async changeOwner(uid: number, gid: number): Promise<void> {
    await chown(this.procPath(), uid, gid);
  }

  /** Changes the owner of the entry `name` in this folder; a link is changed itself, never followed. */
  async changeEntryOwner(name: string, uid: number, gid: number): Promise<void> {
    checkName(name);
    await lchown(this.childPath(name), uid, gid);
  }

  private async createWith(name: string, bytes: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
    const handle = await open(this.childPath(name), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
    try {
      if (bytes instanceof Uint8Array) await handle.writeFile(bytes);
      else for await (const chunk of bytes) await handle.write(chunk);
    } finally {
      await handle.close();
    }
  }

  /** Walks `relative` from this folder one component at a time, each opened O_PATH|O_NOFOLLOW. */
  private async lookup(relative: string): Promise<{ handle: FileHandle; stats: Stats; relative: string }> {
    const segments = segmentsOf(relative);
    const walked = this.relative === "." ? [] : [this.relative];
    const last = segments.pop();
    if (last === undefined) {
      // A second descriptor of this folder, so that the caller may close what it is given.
      const handle = await open(this.procPath(), openPathOnly | O_DIRECTORY);
      return { handle, stats: await handle.stat(), relative: this.relative };
    }
    let current = this.handle;
    try {
      for (const name of segments) {
        walked.push(name);
        const next = await openChild(current, name, walked);
        if (!next.stats.isDirectory()) {
          await next.handle.close();
          throw await describeBlocked(walked.join("/"), next.stats, () =>
            readlink(`/proc/self/fd/${current.fd}/${name}`).catch(() => undefined),
          ); // The link's target only details the message.
        }
        if (current !== this.handle) await current.close();
        current = next.handle;
      }
      walked.push(last);
      return { ...(await openChild(current, last, walked)), relative: walked.join("/") };
    } finally {
      if (current !== this.handle) await current.close();
    }
  }

  private async statChild(name: string): Promise<Stats | undefined> {
    const handle = await open(this.childPath(name), openPathOnly | O_NOFOLLOW).catch(() => undefined);
    if (!handle) return undefined; // Removed since the listing: nothing to report.
    try {
      return await handle.stat();
    } finally {
      await handle.close();
    }
  }

  private async notA(wanted: "file" | "folder", entry: { stats: Stats; relative: string }): Promise<WorkspaceAccessError> {
    if (entry.stats.isSymbolicLink()) {
      const slash = entry.relative.lastIndexOf("/");
      const parentPath = slash < 0 ? "." : entry.relative.slice(0, slash);
      const target = await this.directory(parentPath)
        .then(async (parent) => readlink(parent.childPath(entry.relative.slice(slash + 1))).finally(() => parent.close()))
        .catch(() => undefined); // The target only details the message.
      return linkError(entry.relative, target);
    }
    const kind = kindOf(entry.stats);
    if (kind === "file" || kind === "folder") {
      return new WorkspaceAccessError(wanted === "file" ? "folder" : "not-folder", `"${entry.relative}" is a ${kind}, not a ${wanted}.`);
    }
    return specialFileError(entry.relative, entry.stats);
  }

  private procPath(): string {
    return `/proc/self/fd/${this.handle.fd}`;
  }

  private childPath(name: string): string {
    return `${this.procPath()}/${name}`;
  }
}

/** Opens `name` in the folder `parent` as O_PATH without following it, with its fstat. */
async function openChild(parent: FileHandle, name: string, walked: string[]): Promise<{ handle: FileHandle; stats: Stats }> {
  const handle = await open(`/proc/self/fd/${parent.fd}/${name}`, openPathOnly | O_NOFOLLOW).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT")
      throw new WorkspaceAccessError("missing", `There is no file or folder at "${walked.join("/")}" in the workspace.`);
    throw error;
  });
  try {
    return { handle, stats: await handle.stat() };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Writes text files at the top of a workspace (made if missing), replacing whatever has their names. */
export async function writeWorkspaceFiles(workspace: string, files: Record<string, string>): Promise<void> {
  await WorkspaceDirectory.with(
    workspace,
    async (directory) => {
      for (const [name, text] of Object.entries(files)) await directory.writeFile(name, Buffer.from(text), { exclusive: false });
    },
    { create: true },
  );
}

async function describeBlocked(relative: string, stats: Stats, target: () => Promise<string | undefined>): Promise<WorkspaceAccessError> {
  if (stats.isSymbolicLink()) return linkError(relative, await target());
  return new WorkspaceAccessError("not-folder", `"${relative}" is a ${kindOf(stats)}, not a folder, so nothing can be inside it.`);
}

function linkError(relative: string, target: string | undefined): WorkspaceAccessError {
  const where = target === undefined ? "" : ` (to "${target}")`;
  return new WorkspaceAccessError(
    "link",
    `"${relative}" is a symbolic link${where}. Links in the workspace are not followed; use the path of what it points to, if that is inside the workspace.`,
  );
}

function specialFileError(relative: string, stats: Stats): WorkspaceAccessError {
  return new WorkspaceAccessError(
    "special",
    `"${relative}" is a ${kindOf(stats)}, not a regular file; it was not opened. Only regular files can be read.`,
  );
}

function tooLarge(relative: string, size: number, maxBytes: number): WorkspaceAccessError {
  return new WorkspaceAccessError(
    "too-large",
    `"${relative}" is ${size.toLocaleString("en-US")} bytes or more, over the limit of ${maxBytes.toLocaleString("en-US")} bytes.`,
  );
}

/** Reads at most `maxBytes`; undefined when there is more (the file may grow while it is read). */
async function readBounded(handle: FileHandle, maxBytes: number, signal: AbortSignal | undefined): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    signal?.throwIfAborted();
    const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) return Buffer.concat(chunks, total);
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > maxBytes) return undefined;
  }
}

/** The components of a clean workspace-relative path ("." is none); anything else is a caller's bug. */
function segmentsOf(relative: string): string[] {
  const segments = relative === "." ? [] : relative.split("/");
  for (const name of segments) checkName(name);
  return segments;
}

function checkName(name: string): void {
  if (name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\0")) {
    throw new WorkspaceAccessError("missing", `"${name}" is not a valid file name in the workspace.`);
  }
}
