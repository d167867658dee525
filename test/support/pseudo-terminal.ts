import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { cliPath } from "./run-cli.js";

// The driver is Python's pty module (Debian's /usr/bin/python3): no native Node package needed.
const driver = fileURLToPath(new URL("../../../test/support/pseudo-terminal.py", import.meta.url));

export type TerminalSession = {
  /** Everything the command wrote to its terminal so far (stdout and stderr, with the echo). */
  screen(): string;
  /** Resolves once the screen shows `pattern`; rejects if the command ends first. */
  waitFor(pattern: RegExp): Promise<void>;
  /** Types into the terminal ("\x03" is Ctrl-C). */
  type(text: string): void;
  exited: Promise<number | null>;
};

/** `ponder <args>` in a pseudo-terminal, as a person at a terminal runs it. */
export function cliInTerminal(args: string[], env: Record<string, string>): TerminalSession {
  const child = spawn("/usr/bin/python3", [driver, process.execPath, cliPath, ...args], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: env.PONDER_HOME ?? "/nonexistent", TERM: "xterm", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let screen = "";
  const watchers = new Set<() => void>();
  child.stdout.on("data", (chunk: Buffer) => {
    screen += chunk.toString();
    for (const watcher of watchers) watcher();
  });
  child.stderr.on("data", (chunk: Buffer) => (screen += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return {
    screen: () => screen,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(screen)) return;
          watchers.delete(check);
          resolve();
        };
        watchers.add(check);
        check();
        void exited.then(() => {
          if (watchers.delete(check)) reject(new Error(`The command ended before showing ${pattern}:\n${screen}`));
        });
      }),
    type: (text) => child.stdin.write(text),
    exited,
  };
}
