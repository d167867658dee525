import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const cliPath = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));

export type CliResult = { code: number | null; stdout: string; stderr: string };

/** Starts `ponder <args>` as a real child process with only the given environment (plus PATH). */
export function spawnCli(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [cliPath, ...args], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: env.PONDER_HOME ?? "/nonexistent", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const child = spawnCli(args, env);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}
