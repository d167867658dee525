// When each indexed folder was last compared with the disk. Kept apart from index.json so that an
// update that finds nothing changed writes a few bytes instead of the whole index. Written only
// by the holder of the index lock, atomically like the index.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeAtomically } from "./index-file.js";

export type ScanTimes = Record<string, string>;

function scanTimesPath(directory: string): string {
  return join(directory, "scans.json");
}

export async function readScanTimes(directory: string): Promise<ScanTimes> {
  try {
    const parsed: unknown = JSON.parse(await readFile(scanTimesPath(directory), "utf8"));
    return typeof parsed === "object" && parsed !== null ? (parsed as ScanTimes) : {};
  } catch {
    // Missing or damaged: every folder then counts as not scanned recently, which is safe.
    return {};
  }
}

/** Records `scanned` as just compared with the disk and forgets folders no longer indexed. */
export async function recordScanTimes(directory: string, scanned: readonly string[], indexed: readonly string[]): Promise<void> {
  const times = await readScanTimes(directory);
  const now = new Date().toISOString();
  for (const folder of scanned) times[folder] = now;
  const kept = Object.fromEntries(Object.entries(times).filter(([folder]) => indexed.includes(folder)));
  await writeAtomically(scanTimesPath(directory), JSON.stringify(kept));
}
