import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

/** The lines a child writes on stdout, one at a time, as they come. */
export function lineReader(name: string, child: ChildProcess): () => Promise<string> {
  const pending: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  if (!child.stdout) throw new Error(`${name} has no stdout`);
  createInterface({ input: child.stdout }).on("line", (line) => {
    const waiter = waiting.shift();
    if (waiter) waiter(line);
    else pending.push(line);
  });
  return () => {
    const line = pending.shift();
    return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiting.push(resolve));
  };
}
