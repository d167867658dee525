// Where Ponder may make a cgroup for each sandbox (see sandbox-cgroup.ts), found once per process:
// under Ponder's own cgroup, so that whatever limits the operator put on Ponder (a systemd unit, a
// container) still hold for its sandboxes. cgroup v2 when its memory controller is available
// there, else the v1 memory (with pids and freezer) hierarchies, as on hybrid hosts.
import { mkdirSync, readdirSync, rmdirSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { readControl, tryWriteControl, writable } from "./cgroup-files.js";

export type CgroupHost =
  { version: 2; parent: string } | { version: 1; memoryParent: string; pidsParent: string | undefined; freezerParent: string | undefined };

export type CgroupSupport = { available: true; description: string } | { available: false; reason: string };

let cachedHost: Promise<CgroupHost | { reason: string }> | undefined;

export function host(): Promise<CgroupHost | { reason: string }> {
  cachedHost ??= findHost().then((found) => {
    if (!("reason" in found)) {
      const parents = found.version === 2 ? [found.parent] : [found.memoryParent, found.pidsParent, found.freezerParent];
      for (const parent of parents) if (parent) removeStaleGroups(parent);
    }
    return found;
  });
  return cachedHost;
}

/**
 * Removes the groups of Ponder processes that died without cleaning up (kill -9). Their sandboxes
 * died with them (bwrap's --die-with-parent), once thawed: a frozen process cannot die.
 */
function removeStaleGroups(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const owner = /^ponder-sandbox-(\d+)-/.exec(name)?.[1];
    if (owner === undefined || isAlive(Number(owner))) continue;
    const directory = join(parent, name);
    tryWriteControl(join(directory, "cgroup.freeze"), "0");
    tryWriteControl(join(directory, "freezer.state"), "THAWED");
    try {
      rmdirSync(directory);
    } catch {
      // Still emptying: the next start tries again.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
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

/** Where this process's cgroup membership and mounts are read from (tests point it at a made-up host). */
export type ProcessView = { cgroupFile: string; mountInfoFile: string };

export async function findHost(
  view: ProcessView = { cgroupFile: "/proc/self/cgroup", mountInfoFile: "/proc/self/mountinfo" },
): Promise<CgroupHost | { reason: string }> {
  let membership: string;
  let mountInfo: string;
  try {
    membership = await readFile(view.cgroupFile, "utf8");
    mountInfo = await readFile(view.mountInfoFile, "utf8");
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
    const parent = directoryOf(unified.mountPoint, ownPath);
    const prepared = prepareUnified(parent, ownPath === "/");
    if (prepared === true) return { version: 2, parent };
    // A hybrid host (v2 mounted, memory still on v1) goes on to v1.
    if (!memoryMount) return { reason: prepared };
  }
  if (!memoryMount || !own.has("memory")) return { reason: "no cgroup memory controller is mounted" };
  const memoryParent = directoryOf(memoryMount.mountPoint, relativeTo(memoryMount.root, own.get("memory")!));
  if (!writable(memoryParent)) {
    return { reason: `Ponder may not create cgroups in ${memoryParent} (run as root, or delegate a cgroup to Ponder's user)` };
  }
  const otherParent = (controller: string): string | undefined => {
    const mount = mounts.find((candidate) => candidate.version === 1 && candidate.controllers.includes(controller));
    const path = own.get(controller);
    if (!mount || path === undefined) return undefined;
    const parent = directoryOf(mount.mountPoint, relativeTo(mount.root, path));
    return writable(parent) ? parent : undefined;
  };
  return { version: 1, memoryParent, pidsParent: otherParent("pids"), freezerParent: otherParent("freezer") };
}

/**
 * Makes Ponder's own v2 cgroup able to hold sandbox groups with the memory controller. v2 lets a
 * group hand controllers to its children only if it holds no processes itself, so Ponder first
 * moves itself into a leaf child (as container runtimes do in a delegated subtree). Returns true,
 * or why not.
 */
function prepareUnified(parent: string, isRoot: boolean): true | string {
  const controllers = readControl(join(parent, "cgroup.controllers")) ?? "";
  if (!controllers.split(/\s+/).includes("memory")) {
    return `the cgroup v2 memory controller is not available in ${parent} (not enabled or not delegated to Ponder)`;
  }
  if (!writable(parent)) return `Ponder may not create cgroups in ${parent} (run as root, or delegate it)`;
  const enabled = (readControl(join(parent, "cgroup.subtree_control")) ?? "").split(/\s+/);
  if (enabled.includes("memory")) return true;
  const wanted = controllers.split(/\s+/).includes("pids") ? "+memory +pids" : "+memory";
  try {
    // The root group is exempt from that rule.
    if (!isRoot) {
      const leaf = join(parent, "ponder-host");
      mkdirSync(leaf, { recursive: true });
      writeFileSync(join(leaf, "cgroup.procs"), String(process.pid));
    }
    writeFileSync(join(parent, "cgroup.subtree_control"), wanted);
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

/** The directory of cgroup `path` under a mount point, without a trailing slash for the root group. */
function directoryOf(mountPoint: string, path: string): string {
  return join(mountPoint, path).replace(/(.)\/+$/, "$1");
}

/** A cgroup path as seen from a mount whose root is `root` (a mount may show only a subtree). */
function relativeTo(root: string, path: string): string {
  if (root === "/" || root === "") return path;
  return path.startsWith(root) ? path.slice(root.length) || "/" : path;
}
