// One cgroup per sandbox, so that memory and processes are limited for the sandbox as a whole:
// every process in it, its shared memory, memfds and the pages of its /tmp and /dev/shm tmpfs.
// Per-process rlimits cannot do that (RLIMIT_AS ignores memfds and tmpfs, and each forked child
// gets an allowance of its own).
//
// Where: under Ponder's own cgroup, so that whatever limits the operator put on Ponder (a systemd
// unit, a container) still hold for its sandboxes. cgroup v2 when its memory controller is
// available there, else the v1 memory (and pids) hierarchies. The kernel process joins the group
// before bwrap even starts (see joinCommand), so no user code ever runs outside it.
import { randomBytes } from "node:crypto";
import { constants as fsConstants } from "node:fs";
import { access, mkdir, readFile, rmdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

export type CgroupLimits = {
  memoryBytes: number;
  /** Processes and threads (the pids controller counts both). */
  maxTasks: number;
};

type CgroupHost =
  | { version: 2; parent: string }
  | { version: 1; memoryParent: string; pidsParent: string | undefined; freezerParent: string | undefined };

export type CgroupSupport = { available: true; description: string } | { available: false; reason: string };

/** What a sandbox's memory accounting saw, read once its processes are gone. */
export type MemoryReport = {
  /** The group's own limit made the kernel OOM-kill a process inside it. */
  killedAtLimit: boolean;
  peakBytes: number | undefined;
};

/** How close to its limit a v1 group's peak must be for an OOM kill to count as the limit's. */
const limitSlackBytes = 4 * 1024 * 1024;

let cachedHost: Promise<CgroupHost | { reason: string }> | undefined;

function host(): Promise<CgroupHost | { reason: string }> {
  cachedHost ??= findHost();
  return cachedHost;
}

/** Whether sandboxes get a cgroup here, and if not why: for `ponder doctor`. */
export async function cgroupSupport(): Promise<CgroupSupport> {
  const found = await host();
  if ("reason" in found) return { available: false, reason: found.reason };
  return {
    available: true,
    description:
      found.version === 2
        ? `cgroup v2 under ${found.parent}`
        : `cgroup v1 memory${found.pidsParent ? ", pids" : ""}${found.freezerParent ? ", freezer" : ""} under ${found.memoryParent}`,
  };
}

export class SandboxCgroup {
  private constructor(
    private readonly version: 1 | 2,
    /** The group's memory directory: its only one on v2. */
    private readonly memory: string,
    /** Its directories in the other v1 hierarchies. */
    private readonly pids: string | undefined,
    private readonly freezer: string | undefined,
  ) {}

  private get directories(): string[] {
    return [this.memory, this.pids, this.freezer].filter((directory) => directory !== undefined);
  }

  /** Makes a group with these limits, or returns undefined when the host allows none. */
  static async create(limits: CgroupLimits): Promise<SandboxCgroup | undefined> {
    const found = await host();
    if ("reason" in found) return undefined;
    const name = `ponder-sandbox-${process.pid}-${randomBytes(6).toString("hex")}`;
    if (found.version === 2) {
      const directory = join(found.parent, name);
      await mkdir(directory);
      const cgroup = new SandboxCgroup(2, directory, undefined, undefined);
      try {
        await writeFile(join(directory, "memory.max"), String(limits.memoryBytes));
        // No swap: pages pushed to swap would be memory the limit no longer sees.
        await writeOptional(join(directory, "memory.swap.max"), "0");
        await writeOptional(join(directory, "pids.max"), String(limits.maxTasks));
      } catch (error) {
        await cgroup.destroy();
        throw error;
      }
      return cgroup;
    }
    const pids = found.pidsParent && join(found.pidsParent, name);
    const freezer = found.freezerParent && join(found.freezerParent, name);
    const cgroup = new SandboxCgroup(1, join(found.memoryParent, name), pids, freezer);
    try {
      for (const directory of cgroup.directories) await mkdir(directory);
      const memory = cgroup.memory;
      await writeFile(join(memory, "memory.limit_in_bytes"), String(limits.memoryBytes));
      // memory+swap at the same figure means no swap at all; where swap accounting is off,
      // swappiness 0 keeps the group's anonymous pages out of swap.
      await writeOptional(join(memory, "memory.memsw.limit_in_bytes"), String(limits.memoryBytes));
      await writeOptional(join(memory, "memory.swappiness"), "0");
      if (pids) await writeFile(join(pids, "pids.max"), String(limits.maxTasks));
    } catch (error) {
      await cgroup.destroy();
      throw error;
    }
    return cgroup;
  }

  /** The cgroup.procs files a process must write its pid into to join every hierarchy. */
  get procsFiles(): string[] {
    return this.directories.map((directory) => join(directory, "cgroup.procs"));
  }

  /**
   * Wraps a command so that its process joins this group and then execs it: the pid is the same,
   * so everything the command starts is born inside the group. Exit code 125 when joining fails.
   */
  joinCommand(file: string, args: string[]): { file: string; args: string[] } {
    const script = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';
    return { file: "/bin/sh", args: ["-c", script, "ponder-join", ...this.procsFiles, "--", file, ...args] };
  }

  /** Reads the OOM counters and the peak: call once the group's processes are gone, before destroy. */
  async memoryReport(): Promise<MemoryReport> {
    const memory = this.memory;
    if (this.version === 2) {
      const events = parseCounters(await readOptional(join(memory, "memory.events")));
      const peak = await readOptional(join(memory, "memory.peak"));
      // "oom" counts only OOMs of this group's own limit; a host-wide OOM kill raises oom_kill alone.
      return { killedAtLimit: (events.oom ?? 0) > 0 && (events.oom_kill ?? 0) > 0, peakBytes: peak ? Number(peak) : undefined };
    }
    const oomControl = parseCounters(await readOptional(join(memory, "memory.oom_control")));
    const limit = Number(await readOptional(join(memory, "memory.limit_in_bytes")));
    const peak = Number(await readOptional(join(memory, "memory.max_usage_in_bytes")));
    // v1 also counts host-wide OOM kills of members in oom_kill; a kill in a group whose usage
    // never came near its limit was the host's doing, not the code's. (failcnt is not kept on
    // recent kernels.) Charges are taken in batches, hence the slack.
    const reachedLimit = peak >= limit - limitSlackBytes;
    return { killedAtLimit: (oomControl.oom_kill ?? 0) > 0 && reachedLimit, peakBytes: Number.isFinite(peak) ? peak : undefined };
  }

  /** True when the group can be frozen (v2, or v1 with the freezer hierarchy). */
  get canFreeze(): boolean {
    return this.version === 2 || this.freezer !== undefined;
  }

  /**
   * Stops every process in the group, runs `work`, and lets them go on: what they would change
   * holds still meanwhile (a measurement of the workspace cannot be dodged by moving files).
   */
  async whileFrozen<T>(work: () => Promise<T>): Promise<T> {
    const [file, frozenValue, thawedValue, stateFile, frozenState] =
      this.version === 2
        ? [join(this.memory, "cgroup.freeze"), "1", "0", join(this.memory, "cgroup.events"), /^frozen 1$/m]
        : [join(this.freezer!, "freezer.state"), "FROZEN", "THAWED", join(this.freezer!, "freezer.state"), /^FROZEN$/m];
    await writeFile(file, frozenValue);
    try {
      // Freezing is asynchronous: it is done once the state file says so.
      for (let attempt = 0; !frozenState.test((await readOptional(stateFile)) ?? ""); attempt++) {
        if (attempt >= 500) throw new Error("the sandbox's processes did not freeze");
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      return await work();
    } finally {
      await writeFile(file, thawedValue).catch(() => undefined); // Gone with the group.
    }
  }

  /** Kills whatever is still inside and removes the group from every hierarchy. */
  async destroy(): Promise<void> {
    // A frozen process cannot die, so a group frozen while the kernel was killed is thawed first.
    if (this.version === 1 && this.freezer) await writeOptional(join(this.freezer, "freezer.state"), "THAWED").catch(() => undefined);
    for (const directory of this.directories) {
      // A process that has exited but not yet left the group makes rmdir fail for a moment.
      for (let attempt = 0; ; attempt++) {
        await this.killMembers(directory);
        try {
          await rmdir(directory);
          break;
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === "ENOENT") break;
          if (code !== "EBUSY" || attempt >= 200) throw error;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
    }
  }

  private async killMembers(directory: string): Promise<void> {
    if (this.version === 2 && (await writeOptional(join(directory, "cgroup.kill"), "1"))) return;
    const members = (await readOptional(join(directory, "cgroup.procs"))) ?? "";
    for (const pid of members.split("\n").filter((line) => line !== "")) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // Gone already.
      }
    }
  }
}

async function findHost(): Promise<CgroupHost | { reason: string }> {
  let membership: string;
  let mountInfo: string;
  try {
    membership = await readFile("/proc/self/cgroup", "utf8");
    mountInfo = await readFile("/proc/self/mountinfo", "utf8");
  } catch {
    return { reason: "this system has no cgroups (/proc/self/cgroup is missing)" };
  }
  const own = new Map<string, string>(); // controller (or "" for v2) -> Ponder's own cgroup path
  for (const line of membership.split("\n")) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    const [, controllers = "", path = "/"] = match;
    for (const controller of controllers === "" ? [""] : controllers.split(",")) own.set(controller, path);
  }
  const mounts = parseCgroupMounts(mountInfo);
  const memoryMount = mounts.find((mount) => mount.version === 1 && mount.controllers.includes("memory"));
  const unified = mounts.find((mount) => mount.version === 2);
  if (unified && own.has("")) {
    const ownPath = relativeTo(unified.root, own.get("")!);
    const parent = join(unified.mountPoint, ownPath);
    const prepared = await prepareUnified(parent, ownPath === "/");
    if (prepared === true) return { version: 2, parent };
    // A hybrid host (v2 mounted, memory still on v1) goes on to v1.
    if (!memoryMount) return { reason: prepared };
  }
  if (!memoryMount || !own.has("memory")) return { reason: "no cgroup memory controller is mounted" };
  const memoryParent = join(memoryMount.mountPoint, relativeTo(memoryMount.root, own.get("memory")!));
  if (!(await writable(memoryParent))) {
    return { reason: `Ponder may not create cgroups in ${memoryParent} (run as root, or delegate a cgroup to Ponder's user)` };
  }
  const otherParent = async (controller: string): Promise<string | undefined> => {
    const mount = mounts.find((candidate) => candidate.version === 1 && candidate.controllers.includes(controller));
    const path = own.get(controller);
    if (!mount || path === undefined) return undefined;
    const parent = join(mount.mountPoint, relativeTo(mount.root, path));
    return (await writable(parent)) ? parent : undefined;
  };
  return { version: 1, memoryParent, pidsParent: await otherParent("pids"), freezerParent: await otherParent("freezer") };
}

/**
 * Makes Ponder's own v2 cgroup able to hold sandbox groups with the memory controller. v2 lets a
 * group hand controllers to its children only if it holds no processes itself, so Ponder first
 * moves itself into a leaf child (as container runtimes do in a delegated subtree). Returns true,
 * or why not.
 */
async function prepareUnified(parent: string, isRoot: boolean): Promise<true | string> {
  const controllers = (await readOptional(join(parent, "cgroup.controllers"))) ?? "";
  if (!controllers.split(/\s+/).includes("memory")) {
    return `the cgroup v2 memory controller is not available in ${parent} (not enabled or not delegated to Ponder)`;
  }
  if (!(await writable(parent))) return `Ponder may not create cgroups in ${parent} (run as root, or delegate it)`;
  const enabled = ((await readOptional(join(parent, "cgroup.subtree_control"))) ?? "").split(/\s+/);
  if (enabled.includes("memory")) return true;
  const wanted = controllers.split(/\s+/).includes("pids") ? "+memory +pids" : "+memory";
  try {
    // The root group is exempt from that rule.
    if (!isRoot) {
      const leaf = join(parent, "ponder-host");
      await mkdir(leaf).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "EEXIST") throw error;
      });
      await writeFile(join(leaf, "cgroup.procs"), String(process.pid));
    }
    await writeFile(join(parent, "cgroup.subtree_control"), wanted);
    return true;
  } catch (error) {
    return `could not enable the memory controller for sandboxes in ${parent} (${(error as Error).message})`;
  }
}

type CgroupMount = { version: 1 | 2; mountPoint: string; root: string; controllers: string[] };

/** cgroup mounts from /proc/self/mountinfo: `id parent dev root mountpoint opts - fstype source superopts`. */
function parseCgroupMounts(mountInfo: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of mountInfo.split("\n")) {
    const [before, after] = line.split(" - ");
    if (!before || !after) continue;
    const fields = before.split(" ");
    const [fsType, , superOptions] = after.split(" ");
    const root = unescapeMountPath(fields[3] ?? "");
    const mountPoint = unescapeMountPath(fields[4] ?? "");
    if (fsType === "cgroup2") mounts.push({ version: 2, mountPoint, root, controllers: [] });
    if (fsType === "cgroup") mounts.push({ version: 1, mountPoint, root, controllers: (superOptions ?? "").split(",") });
  }
  return mounts;
}

function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** A cgroup path as seen from a mount whose root is `root` (a mount may show only a subtree). */
function relativeTo(root: string, path: string): string {
  if (root === "/" || root === "") return path;
  return path.startsWith(root) ? path.slice(root.length) || "/" : path;
}

function parseCounters(text: string | undefined): Record<string, number> {
  const counters: Record<string, number> = {};
  for (const line of (text ?? "").split("\n")) {
    const [name, value] = line.split(" ");
    if (name && value !== undefined) counters[name] = Number(value);
  }
  return counters;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, "utf8")).trim();
  } catch {
    return undefined;
  }
}

/** Writes a control file the kernel may not have (no swap accounting, an older kernel). */
async function writeOptional(path: string, value: string): Promise<boolean> {
  try {
    await writeFile(path, value);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

async function writable(directory: string): Promise<boolean> {
  try {
    await access(directory, fsConstants.W_OK);
    return true;
  } catch {
    return false;
  }
}
