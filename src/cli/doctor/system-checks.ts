// Checks of what the built-in tools need from the machine: the bubblewrap sandbox, Debian's
// Python packages, and the system Chromium.

import { execFile } from "node:child_process";
import { findChromiumExecutable } from "../../tools/browser/index.js";
import {
  cgroupSupport,
  checkSandbox,
  currentSandboxMode,
  defaultBwrapPath,
  defaultPythonPath,
  sandboxHint,
  userNamespaceFilterSupported,
} from "../../tools/python/index.js";
import type { DoctorResult } from "./doctor-check.js";

// Import names; each is Debian's `python3-<name>` (scikit-learn imports as sklearn).
const pythonPackages = ["numpy", "pandas", "matplotlib", "scipy", "sympy", "sklearn", "statsmodels"];

export async function sandboxCheck(bwrapPath = defaultBwrapPath): Promise<DoctorResult> {
  const check = "Python sandbox (bubblewrap)";
  const result = await checkSandbox(bwrapPath);
  return result.available
    ? { check, ok: true, required: true, detail: `${bwrapPath} runs a sandboxed process`, fix: "" }
    : { check, ok: false, required: true, detail: `${bwrapPath}: ${result.reason}`, fix: sandboxHint };
}

/**
 * Whether each sandbox gets one memory and process budget (a cgroup) and whether nested user
 * namespaces are closed. Optional: without a cgroup the sandbox still runs, with per-process
 * limits only, and this check says so.
 */
export async function sandboxLimitsCheck(): Promise<DoctorResult> {
  const check = "Python sandbox limits (one budget per sandbox)";
  const cgroups = await cgroupSupport();
  const userNamespacesDenied = currentSandboxMode() === "user" || userNamespaceFilterSupported();
  const userNamespaces =
    currentSandboxMode() === "user"
      ? "nested user namespaces denied (bwrap --disable-userns)"
      : userNamespacesDenied
        ? "nested user namespaces denied (seccomp)"
        : `nested user namespaces NOT denied (no seccomp filter for ${process.arch})`;
  if (cgroups.available) {
    return {
      check,
      ok: userNamespacesDenied,
      required: false,
      detail: `memory and processes per sandbox: ${cgroups.description}; ${userNamespaces}`,
      fix: userNamespacesDenied ? "" : "Run Ponder as a normal user, where bwrap itself denies them",
    };
  }
  return {
    check,
    ok: false,
    required: false,
    detail:
      `no cgroup for sandboxes: ${cgroups.reason}. Fallback: memory is limited per process (address space), memfds ` +
      `and SysV shared memory are refused, /tmp and /dev/shm are size-bounded, but a sandbox's processes together ` +
      `can exceed memoryMb; ${userNamespaces}`,
    fix:
      "Run Ponder as root, or start it in a cgroup v2 subtree delegated to its user with the memory controller " +
      "(e.g. `systemd-run --user --scope -p Delegate=yes ponder serve`, or Delegate=yes in its service unit)",
  };
}

/** Imports each package in one Python process, so a missing one is named rather than guessed. */
export function pythonPackagesCheck(pythonPath = defaultPythonPath): Promise<DoctorResult> {
  const check = `Python packages (${pythonPackages.join(", ")})`;
  const script = [
    "import importlib",
    `for name in ${JSON.stringify(pythonPackages)}:`,
    "    try:",
    "        module = importlib.import_module(name)",
    "        print(name, getattr(module, '__version__', '?'))",
    "    except Exception as error:",
    "        print(name, 'MISSING', type(error).__name__)",
  ].join("\n");
  return new Promise((resolve) => {
    execFile(
      pythonPath,
      ["-c", script],
      { timeout: 30_000, env: { PATH: "/usr/bin:/bin", MPLBACKEND: "Agg" } },
      (error, stdout, stderr) => {
        const lines = stdout
          .trim()
          .split("\n")
          .filter((line) => line !== "");
        const missing = lines.filter((line) => line.includes(" MISSING ")).map((line) => line.split(" ")[0] ?? line);
        const debianNames = (missing.length > 0 ? missing : pythonPackages).map((name) => `python3-${name}`).join(" ");
        if (error && lines.length === 0) {
          resolve({
            check,
            ok: false,
            required: true,
            detail: `${pythonPath} did not run: ${stderr.trim() || error.message}`,
            fix: `Install Python and the packages: sudo apt-get install python3 ${debianNames}`,
          });
          return;
        }
        resolve({
          check,
          ok: missing.length === 0,
          required: true,
          detail: `${pythonPath}: ${lines.join(", ")}`,
          fix: missing.length === 0 ? "" : `sudo apt-get install ${debianNames}`,
        });
      },
    );
  });
}

export async function chromiumCheck(configuredPath?: string): Promise<DoctorResult> {
  const check = "Chromium (browser tools)";
  try {
    const path = findChromiumExecutable(configuredPath);
    return { check, ok: true, required: false, detail: path, fix: "" };
  } catch (error) {
    return {
      check,
      ok: false,
      required: false,
      detail: error instanceof Error ? error.message : String(error),
      fix: "sudo apt-get install chromium (or set browser.executablePath / PONDER_CHROMIUM_PATH); without it the browser tools are off",
    };
  }
}
