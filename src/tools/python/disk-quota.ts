// The workspace's disk quota (`sandbox.diskMb`), enforced while a kernel lives. No filesystem
// quota is assumed (project quotas need a filesystem made for them), so the guard combines:
// - a per-call file-size limit (RLIMIT_FSIZE) at what is left of the quota, so one big write
//   fails cleanly ("File too large") right at the quota;
// - a cheap watch on the filesystem's used space (statfs every 20 ms while the kernel lives,
//   between calls too: background processes and threads outlive a call and write at disk speed,
//   and a 250 ms watch between calls let one write 330 MB past a 64 MB quota): when it has grown
//   by more than the quota has left, the workspace is measured (workspace-usage.ts), with the
//   sandbox frozen when its cgroup allows, and a kernel over the quota is stopped;
// - the same check after every call.
// Between measurements the filesystem's growth counts as the workspace's own, so the file-size
// limit errs on the small side. The workspace can overshoot by what the code writes between two
// checks (about 20 ms plus one measurement; more on a loaded machine, whose timers run late). A
// file deleted while still open in the sandbox escapes the measurement until it is closed; the
// statfs watch still sees it, and each such file is bounded by the hard file-size limit.
import { statfsSync } from "node:fs";
import type { SandboxCgroup } from "./sandbox-cgroup.js";
import { maxWorkspaceEntries, measureWorkspace } from "./workspace-usage.js";

/** One statfs takes microseconds, so 50 a second per live kernel cost next to nothing. */
const pollIntervalMs = 20;
/** The smallest per-call file-size limit, so output capture and small files still work at the quota. */
const minimumFileSizeBytes = 1024 * 1024;
/** Kept back from the file-size limit for the blocks the filesystem adds itself (extent trees, folders). */
const metadataHeadroomBytes = 1024 * 1024;
/** Freed space worth a new measurement after a call. */
const recalibrateBytes = 1024 * 1024;
const mebibyte = 1024 * 1024;

export class DiskQuotaGuard {
  private usedBytes = 0;
  /** The filesystem's used bytes when the workspace was last measured, and its growth since. */
  private filesystemUsedAtMeasure = 0;
  private grownSinceMeasure = 0;
  /**
   * What the workspace may hold before the kernel is stopped: the quota, or what it already held
   * when the kernel started if that was more (so the code can run to delete files), shrinking
   * back to the quota as it does.
   */
  private allowanceBytes: number;
  private timer: NodeJS.Timeout;
  private measuring: Promise<string | undefined> | undefined;
  private stopped = false;

  private constructor(
    private readonly workspace: string,
    private readonly quotaBytes: number,
    private readonly cgroup: SandboxCgroup | undefined,
    /** Called with a reason when the workspace went over the quota while code ran. */
    private readonly onExceeded: (reason: string) => void,
  ) {
    this.allowanceBytes = quotaBytes;
    this.timer = setInterval(() => void this.poll(), pollIntervalMs);
    this.timer.unref(); // An idle kernel must not keep Node running.
  }

  /** Measures the workspace (before its kernel starts) and starts watching it. */
  static async start(
    workspace: string,
    quotaMb: number,
    cgroup: SandboxCgroup | undefined,
    onExceeded: (reason: string) => void,
  ): Promise<DiskQuotaGuard> {
    const guard = new DiskQuotaGuard(workspace, quotaMb * mebibyte, cgroup, onExceeded);
    await guard.measure(false);
    guard.allowanceBytes = Math.max(guard.quotaBytes, guard.usedBytes);
    return guard;
  }

  /**
   * The file-size limit for the next call: what the quota has left, within bounds. Growth of the
   * filesystem since the last measurement counts as the workspace's own (an upper bound, so the
   * limit errs on the small side until the next measurement).
   */
  fileSizeLimitBytes(hardLimitBytes: number): number {
    const left = this.allowanceBytes - this.usedBytes - Math.max(0, this.grownSinceMeasure) - metadataHeadroomBytes;
    return Math.min(hardLimitBytes, Math.max(minimumFileSizeBytes, left));
  }

  /**
   * After a call: returns why the kernel must stop when the workspace is over its quota. The
   * workspace is walked only when the filesystem grew by more than the quota had left (or shrank):
   * otherwise it cannot be over, and the call costs one statfs.
   */
  async check(): Promise<string | undefined> {
    try {
      const grownPast = this.grownPastQuota();
      // Space freed (by the code, or elsewhere on the filesystem) is measured, so that the next
      // call's file-size limit gives it back.
      if (!grownPast && this.grownSinceMeasure > -recalibrateBytes) return undefined;
      return await this.measure(true);
    } catch {
      return undefined; // The workspace is gone (the run is ending): nothing left to guard.
    }
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  private async poll(): Promise<void> {
    if (this.stopped || this.measuring) return;
    try {
      if (!this.grownPastQuota() || this.stopped) return;
      const reason = await this.measure(true);
      if (reason && !this.stopped) this.onExceeded(reason);
    } catch {
      // The workspace or the group went away with the kernel; the next check measures again.
    }
  }

  private grownPastQuota(): boolean {
    this.grownSinceMeasure = filesystemUsedBytes(this.workspace) - this.filesystemUsedAtMeasure;
    return this.grownSinceMeasure > this.allowanceBytes - this.usedBytes;
  }

  private measure(freeze: boolean): Promise<string | undefined> {
    this.measuring ??= this.measureNow(freeze).finally(() => (this.measuring = undefined));
    return this.measuring;
  }

  private async measureNow(freeze: boolean): Promise<string | undefined> {
    const walk = async () => {
      const filesystemUsed = filesystemUsedBytes(this.workspace);
      return { usage: await measureWorkspace(this.workspace), filesystemUsed };
    };
    // A group that cannot be frozen (its kernel just died) is measured as it is.
    const { usage, filesystemUsed } = freeze && this.cgroup?.canFreeze ? await this.cgroup.whileFrozen(walk).catch(walk) : await walk();
    this.usedBytes = usage.bytes;
    this.filesystemUsedAtMeasure = filesystemUsed;
    this.grownSinceMeasure = 0;
    if (usage.tooManyEntries) {
      return `was stopped because the workspace holds more than ${maxWorkspaceEntries.toLocaleString("en-US")} files and folders. Delete files you no longer need before writing more`;
    }
    if (usage.bytes > this.allowanceBytes) {
      return (
        `was stopped because the workspace went over its disk quota: it holds ${Math.ceil(usage.bytes / mebibyte)} MB, ` +
        `more than the ${this.quotaBytes / mebibyte} MB allowed. Delete files you no longer need (os.remove, shutil.rmtree) ` +
        "before writing more, or write less"
      );
    }
    this.allowanceBytes = Math.max(this.quotaBytes, Math.min(this.allowanceBytes, usage.bytes));
    return undefined;
  }
}

/** Synchronous: one statfs of a local filesystem takes microseconds, less than a thread-pool trip. */
function filesystemUsedBytes(path: string): number {
  const stats = statfsSync(path);
  return (stats.blocks - stats.bfree) * stats.bsize;
}
