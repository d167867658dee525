// Reading and writing cgroup control files, some of which a kernel may not have. Synchronous on
// purpose: these are in-memory kernel interfaces that answer in microseconds, and some are read
// around every call, where a trip through Node's thread pool would cost more than the read.
import { accessSync, constants as fsConstants, readFileSync, writeFileSync } from "node:fs";

export function parseCounters(text: string | undefined): Record<string, number> {
  const counters: Record<string, number> = {};
  for (const line of (text ?? "").split("\n")) {
    const [name, value] = line.split(" ");
    if (name && value !== undefined) counters[name] = Number(value);
  }
  return counters;
}

/** A control file's content, or undefined when it is missing (or its group is gone). */
export function readControl(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return undefined;
  }
}

/** Writes a control file; false when the kernel has no such file (no swap accounting, an older kernel). */
export function writeControl(path: string, value: string): boolean {
  try {
    writeFileSync(path, value);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/** Like writeControl, for writes whose failure changes nothing (a group already gone). */
export function tryWriteControl(path: string, value: string): boolean {
  try {
    return writeControl(path, value);
  } catch {
    return false;
  }
}

export function writable(directory: string): boolean {
  try {
    accessSync(directory, fsConstants.W_OK);
    return true;
  } catch {
    return false;
  }
}
