// The operations on the local index: add, update, remove and list folders. Each writer takes
// the index's lock, reads the current index (another writer may have changed it since this
// process last looked), changes it, writes it atomically and removes texts no longer used.
// An update first compares sizes and mtimes with the index it already has loaded: when nothing
// changed, it only records the scan, without loading a fresh copy or writing the whole index.
// Folders never nest in the list: adding a folder inside an indexed one updates that part of
// it; adding a folder around indexed ones takes them in.
import { realpath, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { ConfigError } from "../../../../core/errors.js";
import { dropFile, isInside, scanFolder, type ScanOptions, type ScanReport } from "./folder-scan.js";
import { listDocuments } from "./folder-walk.js";
import { readIndexState, removeTemporaryFiles, writeIndexState, type IndexState } from "./index-file.js";
import { withIndexLock } from "./index-lock.js";
import { loadIndex } from "./index-reader.js";
import { readScanTimes, recordScanTimes } from "./scan-times.js";
import { TextWriter } from "./text-store.js";

export type FolderReport = ScanReport & {
  /** The indexed folder this one is part of, when it was already inside one. */
  partOf?: string;
  /** Indexed folders this one took in because they are inside it. */
  absorbed?: string[];
};

export type FolderSummary = { path: string; documents: number; failed: number; addedAt: string; scannedAt?: string };

/** Adds folders to the index (or updates them if they are already in it). */
export async function addFolders(directory: string, folders: string[], options: ScanOptions = {}): Promise<FolderReport[]> {
  const targets = await Promise.all(folders.map(existingFolder));
  return changeIndex(directory, async (state, texts) => {
    const reports: FolderReport[] = [];
    for (const folder of targets) {
      const container = state.folders.find((entry) => entry.path === folder || isInside(folder, entry.path));
      const absorbed = state.folders.filter((entry) => isInside(entry.path, folder)).map((entry) => entry.path);
      const report: FolderReport = await scanFolder(texts, state, folder, options);
      if (container && container.path !== folder) report.partOf = container.path;
      if (!container) {
        const earliest = state.folders
          .filter((entry) => absorbed.includes(entry.path))
          .map((entry) => entry.addedAt)
          .sort()[0];
        state.folders = state.folders.filter((entry) => !absorbed.includes(entry.path));
        state.folders.push({ path: folder, addedAt: earliest ?? new Date().toISOString() });
        state.folders.sort((a, b) => a.path.localeCompare(b.path));
        if (absorbed.length > 0) report.absorbed = absorbed;
      }
      reports.push(report);
    }
    // Scanning a part of an indexed folder does not bring the whole folder up to date.
    return { result: reports, scanned: reports.filter((report) => report.partOf === undefined).map((report) => report.folder) };
  });
}

/** Re-scans the named indexed folders, or all of them. */
export async function updateFolders(directory: string, folders?: string[], options: ScanOptions = {}): Promise<FolderReport[]> {
  const paths = folders === undefined ? undefined : await Promise.all(folders.map(canonicalPath));
  const targetsOf = (state: IndexState) =>
    paths === undefined ? state.folders.map((entry) => entry.path) : paths.map((folder) => listedFolder(state, folder));
  const loaded = await loadIndex(directory);
  const quickTargets = targetsOf(loaded);
  if (!(await anyChanged(loaded, quickTargets, options.signal))) {
    await withIndexLock(directory, () =>
      recordScanTimes(
        directory,
        quickTargets,
        loaded.folders.map((entry) => entry.path),
      ),
    );
    return quickTargets.map((folder) => ({ ...emptyReport(folder), unchanged: filesInside(loaded, folder).length }));
  }
  return changeIndex(directory, async (state, texts) => {
    const targets = targetsOf(state);
    const reports: FolderReport[] = [];
    for (const folder of targets) {
      // A folder that vanished from disk keeps its place in the list (it may be an unmounted
      // drive); its documents go, and `ponder index remove` drops it for good.
      if (await isFolder(folder)) reports.push(await scanFolder(texts, state, folder, options));
      else reports.push({ ...dropFolderFiles(state, folder), failed: [{ path: folder, reason: "the folder no longer exists" }] });
    }
    return { result: reports, scanned: targets };
  });
}

/** Removes folders and their documents from the index. */
export async function removeFolders(directory: string, folders: string[]): Promise<FolderReport[]> {
  const paths = await Promise.all(folders.map(canonicalPath));
  return changeIndex(directory, async (state) => {
    const targets = paths.map((folder) => listedFolder(state, folder));
    state.folders = state.folders.filter((entry) => !targets.includes(entry.path));
    return { result: targets.map((folder) => dropFolderFiles(state, folder)), scanned: [] };
  });
}

export async function listFolders(directory: string): Promise<FolderSummary[]> {
  const [state, scans] = await Promise.all([loadIndex(directory), readScanTimes(directory)]);
  return state.folders.map((folder) => {
    const files = filesInside(state, folder.path);
    const failed = files.filter((path) => state.files[path]?.error !== undefined).length;
    const scannedAt = scans[folder.path];
    return { path: folder.path, documents: files.length - failed, failed, addedAt: folder.addedAt, ...(scannedAt ? { scannedAt } : {}) };
  });
}

type Change<T> = (state: IndexState, texts: TextWriter) => Promise<{ result: T; scanned: string[] }>;

async function changeIndex<T>(directory: string, change: Change<T>): Promise<T> {
  return withIndexLock(directory, async () => {
    await removeTemporaryFiles(directory);
    const state = await readIndexState(directory);
    const texts = new TextWriter(directory);
    try {
      const { result, scanned } = await change(state, texts);
      texts.commit();
      await writeIndexState(directory, state);
      await recordScanTimes(
        directory,
        scanned,
        state.folders.map((entry) => entry.path),
      );
      texts.removeUnused(new Set(Object.values(state.files).flatMap((file) => (file.textHash ? [file.textHash] : []))));
      return result;
    } finally {
      texts.close();
    }
  });
}

/** Whether any file under the folders was added, deleted, or differs in size or mtime from the index. */
async function anyChanged(state: IndexState, folders: readonly string[], signal: AbortSignal | undefined): Promise<boolean> {
  for (const folder of folders) {
    if (!(await isFolder(folder))) return true;
    const paths = await listDocuments(folder, signal);
    if (paths.length !== filesInside(state, folder).length || paths.some((path) => state.files[path] === undefined)) return true;
    for (let start = 0; start < paths.length; start += 64) {
      signal?.throwIfAborted();
      const infos = await Promise.all(
        paths.slice(start, start + 64).map((path) => stat(path).catch(() => undefined)) /* a file gone counts as changed */,
      );
      const differs = infos.some((info, offset) => {
        const known = state.files[paths[start + offset] as string];
        return !info || !known || info.mtimeMs !== known.mtimeMs || info.size !== known.size;
      });
      if (differs) return true;
    }
  }
  return false;
}

function filesInside(state: IndexState, folder: string): string[] {
  return Object.keys(state.files).filter((path) => isInside(path, folder));
}

function emptyReport(folder: string): FolderReport {
  return { folder, added: 0, changed: 0, unchanged: 0, removed: 0, failed: [] };
}

function dropFolderFiles(state: IndexState, folder: string): FolderReport {
  const paths = filesInside(state, folder);
  for (const path of paths) dropFile(state, path);
  return { ...emptyReport(folder), removed: paths.length };
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

/** The absolute path with symbolic links resolved, so one folder has one name in the index. */
async function canonicalPath(folder: string): Promise<string> {
  const path = resolve(folder);
  return realpath(path).catch(() => path);
}

async function existingFolder(folder: string): Promise<string> {
  const path = await canonicalPath(folder);
  const info = await stat(path).catch(() => undefined); // Reported just below, naming the folder.
  if (!info) throw new ConfigError(`No folder ${path}.`, "Give the path of a folder of documents (Markdown, HTML, text, PDF).");
  if (!info.isDirectory())
    throw new ConfigError(`${path} is a file, not a folder.`, "Give the folder that holds it: the index covers whole folders.");
  return path;
}

function listedFolder(state: IndexState, path: string): string {
  if (state.folders.some((entry) => entry.path === path)) return path;
  const listed = state.folders.map((entry) => entry.path);
  throw new ConfigError(
    `${path} is not an indexed folder.`,
    listed.length > 0 ? `Indexed folders: ${listed.join(", ")}.` : "No folder is indexed yet; add one with `ponder index add <folder>`.",
  );
}
