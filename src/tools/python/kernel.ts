// A run's Python kernel, like a notebook's: variables persist between calls. It runs one cell at
// a time, enforces the wall-clock limit, honours aborts, finds the files each cell wrote, and,
// when the process dies, starts a fresh one on the next call with a note that state was lost.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CancelledError, ToolError, ToolInfraError, errorMessage } from "../../core/errors.js";
import type { SandboxSettings, ToolArtifact } from "../tool.js";
import type { RunResource } from "../run-resources.js";
import { defaultBwrapPath, defaultPythonPath } from "./bubblewrap.js";
import { DiskQuotaGuard } from "./disk-quota.js";
import { KernelExitedError, KernelProcess, maxFileBytes, runtimeAddressSpaceMb } from "./kernel-process.js";
import { SandboxCgroup } from "./sandbox-cgroup.js";
import { chooseIsolation } from "./sandbox-check.js";
import { giveWorkspaceTo, sandboxIdentity } from "./sandbox-identity.js";
import { changedFiles, snapshotWorkspace } from "./workspace-files.js";

export type PythonKernelOptions = {
  /** Host directory mounted read-write at /workspace. */
  workspace: string;
  settings: SandboxSettings;
  /** Wall-clock limit per call. Default: twice the CPU allowance, since waiting uses no CPU. */
  callTimeoutMs?: number;
  /** Where bubblewrap is; tests point this at a missing file to simulate a machine without it. */
  bwrapPath?: string;
  pythonPath?: string;
};

export type CellResult = {
  /** stdout and stderr interleaved, already cut to the output limit. */
  output: string;
  /** The traceback, when the cell raised; the kernel and its variables survive that. */
  error?: { type: string; traceback: string };
  /** Files the cell created or changed in the workspace. */
  artifacts: ToolArtifact[];
  /** Set on the first call after a kernel died: why, and that earlier state is gone. */
  restartNote?: string;
  /** True when the code ran without bubblewrap because the user opted into unsafe mode. */
  unsandboxed: boolean;
};

export class PythonKernel implements RunResource {
  private kernelProcess: KernelProcess | undefined;
  private diskGuard: DiskQuotaGuard | undefined;
  private temporaryDirectory: string | undefined;
  /** Why the previous process died, until a call has reported it. */
  private lostStateReason: string | undefined;
  private cellCount = 0;
  /** Calls run one at a time, in order; the model may ask for several at once. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly bwrapPath: string;
  private readonly pythonPath: string;
  private readonly callTimeoutMs: number;

  constructor(private readonly options: PythonKernelOptions) {
    this.bwrapPath = options.bwrapPath ?? defaultBwrapPath;
    this.pythonPath = options.pythonPath ?? defaultPythonPath;
    this.callTimeoutMs = options.callTimeoutMs ?? options.settings.cpuSeconds * 2000;
  }

  /**
   * Runs `code` as the next cell. Python exceptions come back in `error`. Throws ToolError when
   * the kernel died or timed out (the next call starts afresh), ToolInfraError or
   * SandboxUnavailableError when the sandbox could not start, and the signal's reason on abort.
   */
  run(code: string, signal?: AbortSignal): Promise<CellResult> {
    const result = this.queue.then(() => this.runNow(code, signal));
    // The queue only orders calls: each call's failure goes to its own caller through `result`.
    this.queue = result.catch(() => undefined);
    // A call still waiting for its turn also answers an abort at once; runNow then skips it.
    return signal ? rejectOnAbort(result, signal) : result;
  }

  /** Whether the kernel runs under these settings (limits, network, isolation), as it must to serve another turn. */
  hasSettings(settings: SandboxSettings): boolean {
    const own = this.options.settings;
    return (Object.keys(own) as (keyof SandboxSettings)[]).every((key) => key === "idleKernelMinutes" || own[key] === settings[key]);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stopProcess("the run ended");
  }

  private async runNow(code: string, signal: AbortSignal | undefined): Promise<CellResult> {
    if (this.closed) throw new ToolInfraError("The Python kernel is closed: its run has ended.");
    signal?.throwIfAborted();
    const startedAt = Date.now();
    const kernelProcess = await this.liveProcess();
    const restartNote = this.takeRestartNote();
    const before = await snapshotWorkspace(this.options.workspace);
    const id = ++this.cellCount;

    const timeoutMs = Math.max(1, this.callTimeoutMs - (Date.now() - startedAt));
    const timer = setTimeout(() => kernelProcess.kill(`timed out after ${formatSeconds(this.callTimeoutMs)} (wall clock)`), timeoutMs);
    const onAbort = () => kernelProcess.kill("was stopped because the call was aborted");
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) onAbort();
    try {
      kernelProcess.startCall();
      const outcome = await kernelProcess.run(id, code, this.diskGuard?.fileSizeLimitBytes(maxFileBytes(this.options.settings)) ?? 0);
      const overQuota = await this.diskGuard?.check();
      if (overQuota) {
        kernelProcess.kill(overQuota);
        throw new KernelExitedError(overQuota, "code");
      }
      const after = await snapshotWorkspace(this.options.workspace);
      return {
        output: outcome.output,
        ...(outcome.error !== null ? { error: { type: outcome.errorType ?? "Exception", traceback: outcome.error } } : {}),
        artifacts: changedFiles(this.options.workspace, before, after),
        ...(restartNote ? { restartNote } : {}),
        unsandboxed: this.options.settings.unsafeNoSandbox,
      };
    } catch (error) {
      if (!(error instanceof KernelExitedError)) throw error;
      await this.stopProcess(error.reason);
      if (signal?.aborted) throw abortReason(signal);
      if (error.exitCause === "startup") throw new ToolInfraError(`The Python kernel failed to start: it ${error.reason}`);
      // Not the code's doing, so evals must not score it as the model's mistake.
      if (error.exitCause === "outside") {
        throw new ToolInfraError(
          `the Python kernel ${error.reason}. Its variables and imports are lost; the next call starts a fresh kernel`,
        );
      }
      throw new ToolError(
        `The Python kernel ${error.reason}. Its variables, imports and output from this call are lost; ` +
          "the next call starts a fresh kernel.",
      );
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /** The running process, starting one (sandbox checked, workspace handed over) if needed. */
  private async liveProcess(): Promise<KernelProcess> {
    if (this.kernelProcess) {
      const exitReason = this.kernelProcess.exitReason;
      if (exitReason === undefined) return this.kernelProcess;
      await this.stopProcess(exitReason); // It died between calls (a background thread exited it).
    }
    const { workspace, settings } = this.options;
    const isolation = await chooseIsolation(settings, this.bwrapPath);
    const identity = sandboxIdentity(workspace);
    if (identity) await giveWorkspaceTo(workspace, identity);
    if (isolation === "unsafe" && !this.temporaryDirectory) {
      this.temporaryDirectory = await mkdtemp(join(tmpdir(), "ponder-python-"));
      if (identity) await giveWorkspaceTo(this.temporaryDirectory, identity);
    }
    const cgroup = await createCgroup(settings);
    try {
      // Measured before the kernel starts, so the first call already knows what is left.
      this.diskGuard = await DiskQuotaGuard.start(workspace, settings.diskMb, cgroup, (reason) => this.kernelProcess?.kill(reason));
      this.kernelProcess = new KernelProcess({
        cgroup,
        isolation,
        bwrapPath: this.bwrapPath,
        pythonPath: this.pythonPath,
        workspace,
        settings,
        identity,
        temporaryDirectory: this.temporaryDirectory,
      });
    } catch (error) {
      // Nothing started: the process's exit would have removed the group, so it is removed here.
      this.diskGuard?.stop();
      this.diskGuard = undefined;
      await cgroup?.destroy();
      throw new ToolInfraError(`The Python kernel could not be started: ${errorMessage(error)}`, error);
    }
    return this.kernelProcess;
  }

  private takeRestartNote(): string | undefined {
    const reason = this.lostStateReason;
    this.lostStateReason = undefined;
    if (!reason) return undefined;
    return (
      `Note: this is a fresh Python kernel; the previous one ${reason}. ` +
      "Variables, imports and functions from earlier calls are gone: re-run what this code needs."
    );
  }

  /** Kills the current process, waits until it is gone, and remembers why state was lost. */
  private async stopProcess(reason: string): Promise<void> {
    const kernelProcess = this.kernelProcess;
    this.kernelProcess = undefined;
    this.diskGuard?.stop();
    this.diskGuard = undefined;
    if (kernelProcess) {
      kernelProcess.kill(reason);
      await kernelProcess.exited;
      // A kernel that never started had no state to lose.
      if (kernelProcess.started) this.lostStateReason = reason;
    }
    if (this.closed && this.temporaryDirectory) {
      await rm(this.temporaryDirectory, { recursive: true, force: true });
      this.temporaryDirectory = undefined;
    }
  }
}

/**
 * The memory limit of the sandbox's cgroup is the setting plus this: room for the runtime (about
 * 95 MB resident with numpy, pandas and matplotlib loaded) and for the kernel's own accounting
 * (page tables, buffers), above the per-process address-space margin so that a single process's
 * big allocation ends in a MemoryError, not in the kernel being killed.
 */
export const runtimeMemoryMb = runtimeAddressSpaceMb + 64;
/** Tasks beyond maxProcesses: the join wrapper that becomes bwrap, and bwrap's init. */
const machineryTasks = 8;

async function createCgroup(settings: SandboxSettings): Promise<SandboxCgroup | undefined> {
  try {
    return await SandboxCgroup.create({
      memoryBytes: (settings.memoryMb + runtimeMemoryMb) * 1024 * 1024,
      maxTasks: settings.maxProcesses + machineryTasks,
    });
  } catch (error) {
    throw new ToolInfraError(`The Python sandbox's cgroup could not be created: ${errorMessage(error)}`, error);
  }
}

function rejectOnAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new CancelledError();
}

function formatSeconds(milliseconds: number): string {
  return `${Number((milliseconds / 1000).toFixed(1))} s`;
}
