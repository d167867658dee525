import type { Stats } from "node:fs";

export type EntryKind = "file" | "folder" | "symbolic link" | "named pipe (FIFO)" | "socket" | "character device" | "block device";

/** What a directory entry is, from fstat or lstat (never from following it). */
export function kindOf(stats: Stats): EntryKind {
  if (stats.isFile()) return "file";
  if (stats.isDirectory()) return "folder";
  if (stats.isSymbolicLink()) return "symbolic link";
  if (stats.isFIFO()) return "named pipe (FIFO)";
  if (stats.isSocket()) return "socket";
  return stats.isCharacterDevice() ? "character device" : "block device";
}
