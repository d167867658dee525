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

/** The first group of the first line on a child's `stream` that matches `pattern` (the whole line when it has none); rejects if the child exits first. */
export function firstMatch(name: string, child: ChildProcess, stream: "stdout" | "stderr", pattern: RegExp): Promise<string> {
  const source = child[stream];
  if (!source) throw new Error(`${name} has no ${stream}`);
  return new Promise((resolve, reject) => {
    createInterface({ input: source }).on("line", (line) => {
      const match = pattern.exec(line);
      if (match) resolve(match[1] ?? line);
    });
    child.once("exit", (code) => reject(new Error(`${name} exited with ${code}`)));
  });
}
