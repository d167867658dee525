// Builds the bubblewrap command line that runs the Python kernel. What the sandbox sees:
// - /usr and the /bin, /lib* entries read-only, plus the few /etc files Python and its libraries
//   read; nothing else of the host (no /root, /home, /work, host /tmp, /etc/shadow, /sys);
// - the run's workspace read-write at /workspace (the driver makes it the working directory,
//   once it runs as the workspace's owner: a 0700 workspace is closed to bwrap's capless root);
// - private, size-bounded tmpfs at /tmp and /dev/shm, a new /proc and a minimal /dev;
// - new pid, net (unless allowed), ipc and uts namespaces; the root itself is read-only;
// - an environment built from nothing: host variables such as API keys never get in.
import { lstatSync, readdirSync, readlinkSync } from "node:fs";
import type { SandboxSettings } from "../tool.js";

export const defaultBwrapPath = "/usr/bin/bwrap";
/** Debian's interpreter, which has numpy/pandas/matplotlib (a `python3` on PATH may not). */
export const defaultPythonPath = "/usr/bin/python3";
export const sandboxWorkspace = "/workspace";

/**
 * How bubblewrap gets its privileges.
 * - "root": Ponder runs as root. bwrap mounts as root without a user namespace, keeps only
 *   CAP_SETUID/CAP_SETGID, and the driver then drops to an unprivileged uid (see sandbox-identity.ts).
 *   A user namespace would not do: its processes stay uid 0 to the kernel, which exempts them
 *   from RLIMIT_NPROC, and an unprivileged bwrap cannot reach a workspace under /root.
 * - "user": Ponder runs as a normal user; bwrap creates a user namespace, as it does by default.
 */
export type SandboxMode = "root" | "user";

export function currentSandboxMode(): SandboxMode {
  return process.getuid?.() === 0 ? "root" : "user";
}

/** Namespace and privilege flags, shared by the real command and by checkSandbox. */
export function isolationArguments(mode: SandboxMode, network: boolean): string[] {
  const common = ["--new-session", "--die-with-parent"];
  if (mode === "user") {
    // --disable-userns stops sandboxed code from making namespaces of its own (kernel attack surface).
    return ["--unshare-all", ...(network ? ["--share-net"] : []), "--unshare-user", "--disable-userns", ...common];
  }
  return [
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--unshare-cgroup-try",
    ...(network ? [] : ["--unshare-net"]),
    "--cap-drop",
    "ALL",
    "--cap-add",
    "CAP_SETUID",
    "--cap-add",
    "CAP_SETGID",
    ...common,
  ];
}

/** Mounts for the read-only system: /usr, the /bin and /lib* entries, and selected /etc files. */
export function systemMountArguments(network: boolean): string[] {
  const mounts = ["--ro-bind", "/usr", "/usr"];
  for (const entry of topLevelEntries()) mounts.push(...entry);
  const etcFiles = network ? [...etcForPython(), ...etcForNetwork] : etcForPython();
  // bwrap would create /etc as 0700 for the binds below, closing it to the unprivileged uid.
  mounts.push("--perms", "0755", "--dir", "/etc");
  for (const file of etcFiles) mounts.push("--ro-bind-try", file, file);
  return mounts;
}

export type SandboxedPythonOptions = {
  bwrapPath: string;
  pythonPath: string;
  mode: SandboxMode;
  workspace: string;
  settings: SandboxSettings;
  /** Arguments for the interpreter, after its path. */
  pythonArguments: string[];
  environment: Record<string, string>;
  /** An fd from which bwrap reads a seccomp program (see sandbox-seccomp.ts). */
  seccompFd?: number;
};

export function sandboxedPythonCommand(options: SandboxedPythonOptions): { file: string; args: string[] } {
  const { settings } = options;
  // tmpfs lives in RAM that RLIMIT_AS does not see, so the two together get the memory budget.
  const tmpfsBytes = String(Math.floor((settings.memoryMb * 1024 * 1024) / 2));
  const args = [
    ...isolationArguments(options.mode, settings.network),
    ...systemMountArguments(settings.network),
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--perms",
    "1777",
    "--size",
    tmpfsBytes,
    "--tmpfs",
    "/tmp",
    "--perms",
    "1777",
    "--size",
    tmpfsBytes,
    "--tmpfs",
    "/dev/shm",
    "--bind",
    options.workspace,
    sandboxWorkspace,
    "--remount-ro",
    "/",
    "--clearenv",
    ...(options.seccompFd !== undefined ? ["--seccomp", String(options.seccompFd)] : []),
  ];
  for (const [name, value] of Object.entries(options.environment)) args.push("--setenv", name, value);
  args.push("--", options.pythonPath, ...options.pythonArguments);
  return { file: options.bwrapPath, args };
}

/**
 * The environment the code sees, built from nothing. `home` and `temporary` are paths as the
 * code sees them (inside the sandbox, or on the host in unsafe mode).
 */
export function pythonEnvironment(home: string, temporary: string): Record<string, string> {
  const environment: Record<string, string> = {
    PATH: "/usr/local/bin:/usr/bin:/bin",
    HOME: home,
    TMPDIR: temporary,
    LANG: "C.UTF-8",
    MPLBACKEND: "Agg",
    // Keeps matplotlib's font cache out of the workspace, where it would show up as files.
    MPLCONFIGDIR: `${temporary}/matplotlib`,
    PYTHONDONTWRITEBYTECODE: "1",
    // Few threads: each reserves address space that counts against RLIMIT_AS, and each counts
    // against the process limit. Same reason for few malloc arenas (64 MB reserved apiece).
    OPENBLAS_NUM_THREADS: "2",
    OMP_NUM_THREADS: "2",
    MALLOC_ARENA_MAX: "2",
  };
  // Some processors need these or OpenBLAS crashes on its first call.
  for (const name of ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"]) {
    const value = process.env[name];
    if (value) environment[name] = value;
  }
  return environment;
}

const etcForNetwork = [
  "/etc/resolv.conf",
  "/etc/hosts",
  "/etc/nsswitch.conf",
  "/etc/gai.conf",
  "/etc/host.conf",
  "/etc/ssl",
  "/etc/ca-certificates",
];

let cachedEtcForPython: string[] | undefined;

/** The /etc entries Python, the dynamic linker, OpenBLAS (via alternatives) and matplotlib read. */
function etcForPython(): string[] {
  if (!cachedEtcForPython) {
    const pythonConfig = readdirSync("/etc")
      .filter((name) => name.startsWith("python3"))
      .map((name) => `/etc/${name}`);
    cachedEtcForPython = [
      "/etc/ld.so.cache",
      "/etc/ld.so.conf",
      "/etc/ld.so.conf.d",
      "/etc/alternatives",
      "/etc/localtime",
      "/etc/mime.types",
      "/etc/fonts",
      "/etc/matplotlibrc",
      ...pythonConfig,
    ];
  }
  return cachedEtcForPython;
}

let cachedTopLevelEntries: string[][] | undefined;

/** /bin, /sbin and /lib*: symlinks into /usr on merged-/usr systems, directories elsewhere. */
function topLevelEntries(): string[][] {
  if (!cachedTopLevelEntries) {
    cachedTopLevelEntries = [];
    for (const path of ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]) {
      try {
        const stat = lstatSync(path);
        if (stat.isSymbolicLink()) cachedTopLevelEntries.push(["--symlink", readlinkSync(path), path]);
        else if (stat.isDirectory()) cachedTopLevelEntries.push(["--ro-bind", path, path]);
      } catch {
        // Not on this system.
      }
    }
  }
  return cachedTopLevelEntries;
}
