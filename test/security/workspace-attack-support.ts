// Shared by the workspace attack suite: a secret outside the workspace for links to point at, a
// swapper that exchanges two names with renameat2(RENAME_EXCHANGE) as fast as it can (on the
// host, or inside the real sandbox from a python call), and the leak check.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

/**
 * Python that swaps argv[1] and argv[2] forever and prints "ready" after the first swap. Plain
 * ctypes: the attack needs nothing the sandbox lacks.
 */
export const swapperSource = `
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
first, second = sys.argv[1].encode(), sys.argv[2].encode()
swaps = 0
while True:
    if libc.renameat2(-100, first, -100, second, 2) != 0:
        raise OSError(ctypes.get_errno(), "renameat2")
    swaps += 1
    if swaps == 1:
        print("ready", flush=True)
`;

export type Secret = {
  /** A folder outside every workspace; links planted in a workspace point here. */
  directory: string;
  /** In every file of `directory`, and in its file names: found in any output means a leak. */
  token: string;
  /** A second folder outside, which writes must never reach. */
  writeTarget: string;
  /** Further strings that only the secret's files would make appear (e.g. an image's size). */
  markers: string[];
  remove(): void;
};

/** A secret folder holding `files` (name to content; the token is appended to each). */
export function createSecret(files: Record<string, string | Uint8Array> = {}, markers: string[] = []): Secret {
  const root = mkdtempSync(join(tmpdir(), "ponder-secret-"));
  const token = `SECRET-${randomBytes(8).toString("hex")}`;
  const directory = join(root, "secret");
  const writeTarget = join(root, "write-target");
  mkdirSync(directory);
  mkdirSync(writeTarget);
  writeFileSync(join(directory, `${token}.txt`), token);
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(directory, name), typeof content === "string" ? `${content}${token}` : content);
  return { directory, token, writeTarget, markers, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** The first line of the host's /etc/shadow (what the attack read), when there is one. */
export const shadowLine: string | undefined = (() => {
  try {
    return readFileSync("/etc/shadow", "utf8").split("\n")[0] || undefined;
  } catch {
    return undefined;
  }
})();

/** Whether `text` holds the secret or a line of /etc/shadow. */
export function leaks(text: string, secret: Secret): boolean {
  return (
    [secret.token, ...secret.markers].some((marker) => text.includes(marker)) || (shadowLine !== undefined && text.includes(shadowLine))
  );
}

/** A swapper on the host (root), started and swapping when this resolves. */
export async function startHostSwapper(first: string, second: string): Promise<{ stop: () => Promise<void> }> {
  const child = spawn("python3", ["-c", swapperSource, first, second], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  await new Promise<void>((resolve, reject) => {
    lines.once("line", () => resolve());
    child.once("exit", (code) => reject(new Error(`the swapper exited (${code}) before its first swap`)));
  });
  return {
    stop: async () => {
      if (child.exitCode !== null) throw new Error(`the swapper stopped early (exit ${child.exitCode}): the race was not run`);
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Tallies what each attempt saw; `leaked` must stay 0, and both states must have been seen. */
export class Tally {
  attempts = 0;
  leaked = 0;
  readonly seen = new Map<string, number>();

  count(outcome: string, text: string, secret: Secret): void {
    this.attempts++;
    if (leaks(text, secret)) this.leaked++;
    this.seen.set(outcome, (this.seen.get(outcome) ?? 0) + 1);
  }

  summary(): string {
    return `${this.attempts} attempts, ${this.leaked} leaks, ${JSON.stringify(Object.fromEntries(this.seen))}`;
  }
}
