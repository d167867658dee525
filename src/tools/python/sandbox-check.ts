// Whether bubblewrap works on this machine, asked once per bwrap path and remembered: the answer
// does not change while Ponder runs, and asking costs a process start.
import { execFile } from "node:child_process";
import { SandboxUnavailableError, errorMessage } from "../../core/errors.js";
import type { SandboxSettings } from "../tool.js";
import { currentSandboxMode, isolationArguments, systemMountArguments } from "./bubblewrap.js";

export type SandboxCheck = { available: true } | { available: false; reason: string };

const checks = new Map<string, Promise<SandboxCheck>>();

/** Runs `true` in a sandbox built like the kernel's, and reports whether that worked. */
export function checkSandbox(bwrapPath: string): Promise<SandboxCheck> {
  let check = checks.get(bwrapPath);
  if (!check) {
    check = runCheck(bwrapPath);
    checks.set(bwrapPath, check);
  }
  return check;
}

function runCheck(bwrapPath: string): Promise<SandboxCheck> {
  const args = [
    ...isolationArguments(currentSandboxMode(), false),
    ...systemMountArguments(false),
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--setenv",
    "PATH",
    "/usr/bin:/bin",
    "--",
    "true",
  ];
  return new Promise((resolve) => {
    execFile(bwrapPath, args, { env: {}, timeout: 10_000 }, (error, _stdout, stderr) => {
      if (!error) resolve({ available: true });
      else resolve({ available: false, reason: stderr.trim() || errorMessage(error) });
    });
  });
}

export const sandboxHint =
  "Install bubblewrap (`apt-get install bubblewrap`), or, only if you accept running model-written code " +
  "with your own permissions, opt in by name with `--unsafe-no-sandbox` or PONDER_UNSAFE_NO_SANDBOX=1.";

/**
 * Decides how code runs: "sandboxed", or "unsafe" when the user named the unsafe option. Refuses
 * (SandboxUnavailableError) when bwrap does not work and the user did not opt in: Ponder never
 * silently runs code unsandboxed.
 */
export async function chooseIsolation(settings: SandboxSettings, bwrapPath: string): Promise<"sandboxed" | "unsafe"> {
  // The user asked for no sandbox by name; honour it literally rather than guess why.
  if (settings.unsafeNoSandbox) return "unsafe";
  const check = await checkSandbox(bwrapPath);
  if (check.available) return "sandboxed";
  throw new SandboxUnavailableError(
    `Python code cannot run: the bubblewrap sandbox (${bwrapPath}) does not work here: ${check.reason}`,
    sandboxHint,
  );
}
