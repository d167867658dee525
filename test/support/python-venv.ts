// The Python virtual environment of scripts/python-venv.sh (Python's OpenAI clients and
// schemathesis), for tests that drive the server from Python. Outside CI a missing or outdated
// venv skips those tests with the command that makes it; in CI (CI=true) it fails them.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repository = fileURLToPath(new URL("../../../", import.meta.url));

/** The venv's python, or why the tests that need it are skipped. */
export type PythonVenv = { python: string; skip: false } | { python: undefined; skip: string };

export function pythonVenv(): PythonVenv {
  const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache");
  const venv = process.env.PONDER_PYTHON_VENV ?? join(cache, "ponder", "python-venv");
  const stamp = join(venv, "ponder-requirements.txt");
  const python = join(venv, "bin", "python");
  const wanted = readFileSync(join(repository, "python", "requirements.txt"), "utf8");
  if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, "utf8") === wanted) return { python, skip: false };
  const reason = `the Python venv in ${venv} is missing or outdated: run scripts/python-venv.sh`;
  if (process.env.CI === "true") throw new Error(`In CI ${reason} first (.ci/run does).`);
  return { python: undefined, skip: reason };
}

/** A file of the repository's source tree (the Python scripts are not compiled into dist/). */
export function repositoryPath(...parts: string[]): string {
  return join(repository, ...parts);
}

export type PythonResult = { code: number | null; stdout: string; stderr: string };

/** Runs a Python program with only the given environment (and PATH, HOME), to its end. */
export function runPython(python: string, args: string[], env: Record<string, string>): Promise<PythonResult> {
  const child = spawn(python, args, {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/nonexistent", PYTHONUNBUFFERED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
