// One cgroup per sandbox, so that memory and processes are limited for the sandbox as a whole:
// every process in it, its shared memory, memfds and the pages of its /tmp and /dev/shm tmpfs.
// Per-process rlimits cannot do that (RLIMIT_AS ignores memfds and tmpfs, and each forked child
// gets an allowance of its own).
//
// Where is cgroup-host.ts's business. The kernel process joins the group before bwrap even starts
// (see joinCommand), so no user code ever runs outside it.
import { randomBytes } from "node:crypto";
import { mkdirSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCounters, readControl, tryWriteControl, writeControl } from "./cgroup-files.js";
import { host } from "./cgroup-host.js";
import type { CgroupHost } from "./cgroup-host.js";

export type CgroupLimits = {
  memoryBytes: number;
  /** Processes and threads (the pids controller counts both). */
  maxTasks: number;
};

/** What a sandbox's memory accounting saw during the last call, read once its processes are gone. */
export type MemoryReport = {
  /** The group's own limit made the kernel OOM-kill a process inside it. */
  killedAtLimit: boolean;
};

/** How close to its limit a v1 group's peak must be for an OOM kill to count as the limit's. */
const limitSlackBytes = 4 * 1024 * 1024;

export class SandboxCgroup {
  private countersAtCallStart = { oomKills: 0, limitOoms: 0 };

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
  static async create(limits: CgroupLimits, where?: CgroupHost): Promise<SandboxCgroup | undefined> {
    const found = where ?? (await host());
    if ("reason" in found) return undefined;
    const name = `ponder-sandbox-${process.pid}-${randomBytes(6).toString("hex")}`;
    if (found.version === 2) {
      const directory = join(found.parent, name);
      mkdirSync(directory);
      const cgroup = new SandboxCgroup(2, directory, undefined, undefined);
      try {
        writeFileSync(join(directory, "memory.max"), String(limits.memoryBytes));
        // No swap: pages pushed to swap would be memory the limit no longer sees.
        writeControl(join(directory, "memory.swap.max"), "0");
        writeControl(join(directory, "pids.max"), String(limits.maxTasks));
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
      for (const directory of cgroup.directories) mkdirSync(directory);
      const memory = cgroup.memory;
      writeFileSync(join(memory, "memory.limit_in_bytes"), String(limits.memoryBytes));
      // memory+swap at the same figure means no swap at all; where swap accounting is off,
      // swappiness 0 keeps the group's anonymous pages out of swap.
      writeControl(join(memory, "memory.memsw.limit_in_bytes"), String(limits.memoryBytes));
      writeControl(join(memory, "memory.swappiness"), "0");
      if (pids) writeFileSync(join(pids, "pids.max"), String(limits.maxTasks));
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

  /**
   * Marks the start of a call, so that the report after a kill speaks of that call only: an OOM
   * kill of a child in an earlier call must not make a later kill from outside look like the
   * code's own.
   */
  startCall(): void {
    this.countersAtCallStart = this.oomCounters();
    // v1 lets its peak be reset; it then tells whether this call reached the limit.
    if (this.version === 1) tryWriteControl(join(this.memory, "memory.max_usage_in_bytes"), "0");
  }

  /** Reads the OOM counters: call once the group's processes are gone, before destroy. */
  memoryReport(): MemoryReport {
    const counters = this.oomCounters();
    const killed = counters.oomKills > this.countersAtCallStart.oomKills;
    if (this.version === 2) {
      // "oom" counts only OOMs of this group's own limit; a host-wide OOM kill raises oom_kill alone.
      return { killedAtLimit: killed && counters.limitOoms > this.countersAtCallStart.limitOoms };
    }
    const limit = Number(readControl(join(this.memory, "memory.limit_in_bytes")));
    const peak = Number(readControl(join(this.memory, "memory.max_usage_in_bytes")));
    // v1 also counts host-wide OOM kills of members in oom_kill; a kill in a group whose usage
    // did not come near its limit was the host's doing, not the code's. (failcnt is not kept on
    // recent kernels.) Charges are taken in batches, hence the slack.
    return { killedAtLimit: killed && peak >= limit - limitSlackBytes };
  }

  private oomCounters(): { oomKills: number; limitOoms: number } {
    if (this.version === 2) {
      const events = parseCounters(readControl(join(this.memory, "memory.events")));
      return { oomKills: events.oom_kill ?? 0, limitOoms: events.oom ?? 0 };
    }
    const oomControl = parseCounters(readControl(join(this.memory, "memory.oom_control")));
    return { oomKills: oomControl.oom_kill ?? 0, limitOoms: 0 };
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
    writeFileSync(file, frozenValue);
    try {
      // Freezing is asynchronous: it is done once the state file says so.
      for (let attempt = 0; !frozenState.test(readControl(stateFile) ?? ""); attempt++) {
        if (attempt >= 500) throw new Error("the sandbox's processes did not freeze");
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      return await work();
    } finally {
      tryWriteControl(file, thawedValue); // Fails only when the group is gone.
    }
  }

  /** Kills whatever is still inside and removes the group from every hierarchy. */
  async destroy(): Promise<void> {
    // A frozen process cannot die, so a group frozen while the kernel was killed is thawed first.
    if (this.version === 1 && this.freezer) tryWriteControl(join(this.freezer, "freezer.state"), "THAWED");
    for (const directory of this.directories) {
      // A process that has exited but not yet left the group makes rmdir fail for a moment.
      for (let attempt = 0; ; attempt++) {
        this.killMembers(directory);
        try {
          rmdirSync(directory);
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

  private killMembers(directory: string): void {
    if (this.version === 2 && tryWriteControl(join(directory, "cgroup.kill"), "1")) return;
    const members = readControl(join(directory, "cgroup.procs")) ?? "";
    for (const pid of members.split("\n").filter((line) => line !== "")) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // Gone already.
      }
    }
  }
}
