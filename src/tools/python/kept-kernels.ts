// Python kernels kept between the turns of a conversation, while the process lives: a follow-up
// turn finds the variables, imports and functions the earlier turns' code defined, as in a
// notebook. A conversation's turns share one workspace, so a kernel is kept by its workspace.
// When a turn ends, its kernel is handed over here (instead of being closed with the run's other
// resources); the next turn of the conversation takes it over once its record is stored. A kept
// kernel is stopped after `sandbox.idleKernelMinutes` without a turn to take it, or when more
// than `maxKeptKernels` are kept (the oldest first); each stop is announced as `kernel-stopped`,
// and its reason is remembered so that the next turn can tell the model why its state is gone.
// An idle kernel does not keep Node running (kernel-process.ts), so keeping one never delays exit.
import { EventEmitter } from "node:events";
import { sep } from "node:path";
import { logged, logger } from "../../logging/logger.js";
import type { RunResources } from "../run-resources.js";
import type { SandboxSettings } from "../tool.js";
import type { PythonKernel } from "./kernel.js";
import { pythonKernelResource } from "./python-tool.js";

const log = logger("tools.python");

/** Idle kernels kept at most: each holds a sandboxed Python process (about 100 MB with numpy and pandas loaded). */
export const maxKeptKernels = 16;
/** Stop reasons remembered at most, for the notice of a late follow-up. */
const rememberedReasons = 1_000;

export type KernelStoppedEvent = { workspace: string; reason: string };

type KeptKernel = { kernel: PythonKernel; timer: NodeJS.Timeout };

export class KeptKernels extends EventEmitter<{ "kernel-stopped": [KernelStoppedEvent] }> {
  /** In the order they were kept: the first is the oldest. */
  private readonly kept = new Map<string, KeptKernel>();
  private readonly stopReasons = new Map<string, string>();

  /** Keeps `kernel` for the next turn in `workspace`, for `idleMs` at most. */
  keep(workspace: string, kernel: PythonKernel, idleMs: number): void {
    // Two turns that ended in the same workspace (a race): the later one's kernel is the current one.
    if (this.kept.has(workspace)) void this.stop(workspace, "was replaced by a later turn's kernel");
    for (const oldest of this.kept.keys()) {
      if (this.kept.size < maxKeptKernels) break;
      void this.stop(oldest, `was stopped to make room: at most ${maxKeptKernels} idle Python kernels are kept`);
    }
    const timer = setTimeout(
      () => void this.stop(workspace, `was stopped after ${describeMinutes(idleMs)} without use (sandbox.idleKernelMinutes)`),
      idleMs,
    );
    timer.unref();
    this.kept.set(workspace, { kernel, timer });
    this.stopReasons.delete(workspace);
  }

  /** The kernel kept for `workspace`, now the caller's; undefined when there is none. */
  take(workspace: string): PythonKernel | undefined {
    const entry = this.kept.get(workspace);
    if (!entry) return undefined;
    this.kept.delete(workspace);
    clearTimeout(entry.timer);
    return entry.kernel;
  }

  /** Why the last kernel kept for `workspace` was stopped, if it was. */
  stopReason(workspace: string): string | undefined {
    return this.stopReasons.get(workspace);
  }

  /** Stops the kernel kept for `workspace`, if any; resolves once it is gone. */
  async stop(workspace: string, reason: string): Promise<void> {
    const kernel = this.take(workspace);
    if (kernel) await this.stopKernel(workspace, kernel, reason);
  }

  /** Stops every kernel kept for a workspace inside `folder` (a server's home, at its shutdown). */
  async stopWithin(folder: string, reason: string): Promise<void> {
    const prefix = folder.endsWith(sep) ? folder : folder + sep;
    const inside = [...this.kept.keys()].filter((workspace) => workspace.startsWith(prefix));
    await Promise.all(inside.map((workspace) => this.stop(workspace, reason)));
  }

  /** Stops a kernel of `workspace` that is no longer kept, remembering and announcing why. */
  async stopKernel(workspace: string, kernel: PythonKernel, reason: string): Promise<void> {
    this.stopReasons.set(workspace, reason);
    for (const oldest of this.stopReasons.keys()) {
      if (this.stopReasons.size <= rememberedReasons) break;
      this.stopReasons.delete(oldest);
    }
    await kernel.close().catch(logged(log, "warn", "closing a kept Python kernel failed"));
    this.emit("kernel-stopped", { workspace, reason });
  }
}

/** The process's kept kernels. */
export const keptKernels = new KeptKernels();

/** What a turn starts with: whether the earlier turn's kernel is there, or why it is not. */
export type KernelHandover = { kept: true } | { kept: false; stopReason?: string };

/**
 * Gives a run the kernel kept for its workspace, if there is one with the run's sandbox settings
 * (different limits or network need a new sandbox). Call it once the run's record is stored: a
 * turn that loses a race for the conversation must not take the kernel.
 */
export async function adoptKeptKernel(resources: RunResources, workspace: string, settings: SandboxSettings): Promise<KernelHandover> {
  const kernel = keptKernels.take(workspace);
  if (kernel && !kernel.hasSettings(settings)) {
    await keptKernels.stopKernel(workspace, kernel, "was stopped because this turn's sandbox settings differ");
  } else if (kernel) {
    await resources.get(pythonKernelResource, () => kernel);
    return { kept: true };
  }
  const stopReason = keptKernels.stopReason(workspace);
  return stopReason === undefined ? { kept: false } : { kept: false, stopReason };
}

/**
 * At a run's end, before its resources are closed: keeps its kernel for the conversation's next
 * turn when `idleKernelMinutes` allows (0 closes it with the run).
 */
export async function keepRunKernel(resources: RunResources, workspace: string, settings: SandboxSettings): Promise<void> {
  if (settings.idleKernelMinutes <= 0) return;
  const kernel = await resources.release<PythonKernel>(pythonKernelResource);
  if (kernel) keptKernels.keep(workspace, kernel, settings.idleKernelMinutes * 60_000);
}

function describeMinutes(milliseconds: number): string {
  const minutes = milliseconds / 60_000;
  return minutes >= 1 ? `${Number(minutes.toFixed(1))} minutes` : `${Number((milliseconds / 1000).toFixed(3))} s`;
}
