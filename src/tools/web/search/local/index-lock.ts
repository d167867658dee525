// One writer at a time: two `ponder index add` at once (or a run refreshing the index while the
// user adds a folder) would otherwise each write an index that lacks the other's changes.
// Readers never lock: they read whichever whole index.json is in place.
// The lock is a file created exclusively, holding the owner's pid and host; a lock left by a
// process that died (same host, pid gone) is taken over.
import { mkdir, open, readFile, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { PonderError } from "../../../../core/errors.js";

type LockOwner = { pid: number; host: string; startedAt: string };

export class IndexBusyError extends PonderError {
  constructor(lockPath: string, owner: LockOwner | undefined) {
    super(
      "index_busy",
      `Another process is updating the local search index${owner ? ` (pid ${owner.pid} on ${owner.host}, since ${owner.startedAt})` : ""}.`,
      { hint: `Wait for it to finish and try again. If no such process exists, delete ${lockPath}.` },
    );
  }
}

/** Runs `work` holding the index's write lock; throws IndexBusyError when another writer holds it. */
export async function withIndexLock<T>(directory: string, work: () => Promise<T>): Promise<T> {
  await mkdir(directory, { recursive: true });
  const lockPath = join(directory, "update.lock");
  await acquire(lockPath, true);
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function acquire(lockPath: string, mayTakeOver: boolean): Promise<void> {
  const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  try {
    const handle = await open(lockPath, "wx");
    await handle.writeFile(JSON.stringify(owner));
    await handle.close();
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const current = await readOwner(lockPath);
  if (mayTakeOver && current !== "unreadable" && isAbandoned(current)) {
    await rm(lockPath, { force: true });
    return acquire(lockPath, false);
  }
  throw new IndexBusyError(lockPath, current === "unreadable" ? undefined : current);
}

async function readOwner(lockPath: string): Promise<LockOwner | "unreadable" | undefined> {
  try {
    const parsed = JSON.parse(await readFile(lockPath, "utf8")) as Partial<LockOwner>;
    return typeof parsed.pid === "number" && typeof parsed.host === "string" ? (parsed as LockOwner) : "unreadable";
  } catch (error) {
    // Gone meanwhile: the owner just finished, so taking over is safe.
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? undefined : "unreadable";
  }
}

function isAbandoned(owner: LockOwner | undefined): boolean {
  if (owner === undefined) return true;
  if (owner.host !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
