// Runs `evalCommand` / `exportCommand` in a real child process (main.ts does not list them yet).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const commandsDirectory = fileURLToPath(new URL("../../src/cli/commands/", import.meta.url));

export type CommandResult = { code: number | null; stdout: string; stderr: string };

export function runCommand(module: "eval" | "export", args: string[], env: Record<string, string>): Promise<CommandResult> {
  const name = module === "eval" ? "evalCommand" : "exportCommand";
  const script = `const { ${name} } = await import(${JSON.stringify(`${commandsDirectory}${module}.js`)}); try { process.exitCode = await ${name}(process.argv.slice(1)); } catch (error) { process.stderr.write(String(error?.message) + "\\n" + String(error?.hint ?? "") + "\\n"); process.exitCode = 2; }`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script, ...args], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: env.PONDER_HOME ?? "/nonexistent", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}
