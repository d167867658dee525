// Reading and writing cgroup control files, some of which a kernel may not have.
import { constants as fsConstants } from "node:fs";
import { access, readFile, writeFile } from "node:fs/promises";

export function parseCounters(text: string | undefined): Record<string, number> {
  const counters: Record<string, number> = {};
  for (const line of (text ?? "").split("\n")) {
    const [name, value] = line.split(" ");
    if (name && value !== undefined) counters[name] = Number(value);
  }
  return counters;
}

export async function readOptional(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, "utf8")).trim();
  } catch {
    return undefined;
  }
}

/** Writes a control file the kernel may not have (no swap accounting, an older kernel). */
export async function writeOptional(path: string, value: string): Promise<boolean> {
  try {
    await writeFile(path, value);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

export async function writable(directory: string): Promise<boolean> {
  try {
    await access(directory, fsConstants.W_OK);
    return true;
  } catch {
    return false;
  }
}
