// One running Python kernel process: started sandboxed (bubblewrap) or, when the user opted in
// by name, unsandboxed; sends a cell, waits for its result, and says why the process died.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import type { Socket } from "node:net";
import { constants, tmpdir } from "node:os";
import type { SandboxSettings } from "../tool.js";
import { currentSandboxMode, pythonEnvironment, sandboxWorkspace, sandboxedPythonCommand } from "./bubblewrap.js";
import { kernelDriverSource } from "./kernel-driver.js";
import { sandboxFilter } from "./sandbox-seccomp.js";
import { FrameReader, ProtocolError, encodeCell } from "./kernel-protocol.js";
import type { KernelMessage } from "./kernel-protocol.js";
import type { MemoryReport, SandboxCgroup } from "./sandbox-cgroup.js";
import type { SandboxIdentity } from "./sandbox-identity.js";
import { logged, logger } from "../../logging/logger.js";

const log = logger("tools.python");

/** The fd the driver talks on: Node's fourth stdio entry. */
const channelFd = 3;
/** The fd bwrap reads the seccomp program from (the driver closes it before user code). */
const seccompFd = 4;
/**
 * RLIMIT_AS counts address space that uses no RAM: shared libraries, OpenBLAS thread buffers,
 * malloc arenas (numpy + pandas + matplotlib reserve about 430 MB, 95 MB of it resident). The
 * limit is the memory setting plus this, so code gets roughly `memoryMb` for its data. It stays
 * below the cgroup's margin (kernel.ts), so one process meets a MemoryError, which keeps the
 * kernel, before the whole sandbox's limit kills it.
 */
export const runtimeAddressSpaceMb = 448;
/** Diagnostics kept from the process's own stdout/stderr (bwrap errors, interpreter crashes). */
const diagnosticsBytes = 4096;

export type CellOutcome = { output: string; error: string | null; errorType: string | null };

export type KernelProcessOptions = {
  isolation: "sandboxed" | "unsafe";
  bwrapPath: string;
  pythonPath: string;
  workspace: string;
  settings: SandboxSettings;
  /** The uid to drop to (Ponder runs as root); undefined keeps the current user. */
  identity: SandboxIdentity | undefined;
  /** Unsafe mode only: a private directory for TMPDIR, since there is no sandbox /tmp. */
  temporaryDirectory: string | undefined;
  /** The sandbox's own cgroup, joined before bwrap starts; removed when the process is gone. */
  cgroup: SandboxCgroup | undefined;
};

/**
 * Why the process ended, as far as it can be told:
 * - "code": the code or its own limits (exit, crash, CPU, wall time, its cgroup's memory limit);
 * - "outside": killed by something else (an operator, the host's OOM killer): not the model's doing;
 * - "startup": it died before its driver said it was ready: the machinery failed.
 */
export type ExitCause = "code" | "outside" | "startup";

/** Raised when the process is gone; `reason` is a sentence for the model. */
export class KernelExitedError extends Error {
  constructor(
    readonly reason: string,
    readonly exitCause: ExitCause,
  ) {
    super(reason);
  }
}

type ExitDescription = { reason: string; cause: ExitCause };

export class KernelProcess {
  private readonly child: ChildProcess;
  private readonly reader: FrameReader;
  private ready = false;
  private exitDescription: ExitDescription | undefined;
  /** Set when Node itself kills the process, so the exit is described by why it was killed. */
  private killReason: string | undefined;
  private diagnostics = "";
  private pending: { id: number; resolve: (outcome: CellOutcome) => void; reject: (error: Error) => void } | undefined;
  readonly exited: Promise<void>;

  constructor(private readonly options: KernelProcessOptions) {
    const { settings } = options;
    // Room for JSON escaping of the output (cut to maxOutputBytes bytes, up to 6 bytes each as
    // \uXXXX) and of the traceback (cut to maxOutputBytes characters, up to 12 bytes each).
    this.reader = new FrameReader(18 * settings.maxOutputBytes + 65_536);
    const sandboxed = options.isolation === "sandboxed";
    const config: Record<string, string | number> = {
      channelFd,
      addressSpaceBytes: (settings.memoryMb + runtimeAddressSpaceMb) * 1024 * 1024,
      maxProcesses: settings.maxProcesses,
      maxFileBytes: maxFileBytes(settings),
      cpuSeconds: settings.cpuSeconds,
      maxOutputBytes: settings.maxOutputBytes,
    };
    // Unsandboxed, the spawn already starts in the workspace.
    if (sandboxed) config.workingDirectory = sandboxWorkspace;
    if (options.identity) Object.assign(config, options.identity);
    // -s: no user site-packages; the environment is ours, so nothing else needs isolating.
    const pythonArguments = ["-s", "-c", kernelDriverSource, ...Object.entries(config).map(([name, value]) => `${name}=${value}`)];
    const home = sandboxed ? sandboxWorkspace : options.workspace;
    const temporary = sandboxed ? "/tmp" : (options.temporaryDirectory ?? tmpdir());
    const environment = pythonEnvironment(home, temporary);
    const mode = currentSandboxMode();
    // As a normal user, bwrap's --disable-userns keeps user namespaces closed; memfds and SysV
    // shared memory are refused only where no cgroup counts them. Always: the code cannot
    // SIGKILL or SIGTERM its own kernel, so such a death came from outside.
    const seccompFilter = sandboxed
      ? sandboxFilter({ denyUserNamespaces: mode === "root", denyUncountedMemory: options.cgroup === undefined })
      : undefined;
    const command = sandboxed
      ? sandboxedPythonCommand({
          bwrapPath: options.bwrapPath,
          pythonPath: options.pythonPath,
          mode,
          workspace: options.workspace,
          settings,
          pythonArguments,
          environment,
          ...(seccompFilter ? { seccompFd } : {}),
        })
      : { file: options.pythonPath, args: pythonArguments };
    const started = options.cgroup ? options.cgroup.joinCommand(command.file, command.args) : command;
    this.child = spawn(started.file, started.args, {
      cwd: sandboxed ? "/" : options.workspace,
      env: sandboxed ? {} : environment,
      stdio: ["ignore", "pipe", "pipe", "pipe", ...(seccompFilter ? (["pipe"] as const) : [])],
      // Its own process group, so that killing the group reaches everything it started.
      detached: true,
    });
    this.child.once("error", (error) => this.fail({ reason: `could not be started (${error.message})`, cause: "startup" }));
    // "close", not "exit": it comes after the channel is drained, so a "ready" frame sent just
    // before dying is seen and a crash in the first cell is not mistaken for a failed start.
    this.exited = new Promise((resolve) => this.child.once("close", (code, signal) => resolve(this.closed(code, signal))));
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.on("data", (chunk: Buffer) => {
        this.diagnostics = (this.diagnostics + chunk.toString("utf8")).slice(-diagnosticsBytes);
      });
    }
    if (seccompFilter) {
      const filterPipe = this.child.stdio[seccompFd] as Socket;
      filterPipe.on("error", () => undefined); // bwrap failing to read it is reported as a failed start.
      filterPipe.end(seccompFilter);
    }
    const channel = this.child.stdio[channelFd] as Socket;
    channel.on("data", (chunk: Buffer) => this.receive(chunk));
    channel.on("error", () => undefined); // The exit handler reports what happened.
    this.keepNodeRunning(false);
  }

  /** True once the driver said it was ready: from then on, dying loses the kernel's state. */
  get started(): boolean {
    return this.ready;
  }

  /** Why the process is gone, or undefined while it runs. */
  get exitReason(): string | undefined {
    return this.exitDescription?.reason;
  }

  /** Call before each cell: the exit report then speaks of that cell (see SandboxCgroup.startCall). */
  startCall(): void {
    this.options.cgroup?.startCall();
  }

  /** Runs one cell under a file-size limit. Rejects with KernelExitedError if the process dies first. */
  run(id: number, code: string, fileSizeLimitBytes: number): Promise<CellOutcome> {
    if (this.exitDescription !== undefined) {
      return Promise.reject(new KernelExitedError(this.exitDescription.reason, this.exitDescription.cause));
    }
    if (this.pending) return Promise.reject(new Error("The kernel is already running a cell."));
    this.keepNodeRunning(true);
    return new Promise((resolve, reject) => {
      this.pending = { id, resolve, reject };
      // Sent before the driver says it is ready: it reads the request once started, which
      // saves a round trip on the first call.
      (this.child.stdio[channelFd] as Socket).write(encodeCell(id, fileSizeLimitBytes, code));
    });
  }

  /** Kills the kernel and everything it started; `reason` becomes the exit's description. */
  kill(reason: string): void {
    this.killReason ??= reason;
    this.keepNodeRunning(true); // Until it is gone.
    if (this.child.pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      // Sandboxed, this kills bwrap; its --die-with-parent and the pid namespace then take
      // down every process inside. Unsandboxed, the process group is all we can reach.
      process.kill(-this.child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }

  /**
   * An idle kernel must not keep Node running (a forgotten kernel would hang the CLI at exit; it
   * ends with Node anyway, through --die-with-parent or end of file on the channel). A call in
   * flight, or a kill not yet finished, must.
   */
  private keepNodeRunning(keep: boolean): void {
    const handles = [this.child, this.child.stdio[channelFd] as Socket, this.child.stdout as Socket, this.child.stderr as Socket];
    for (const handle of handles) {
      if (keep) handle.ref();
      else handle.unref();
    }
  }

  private receive(chunk: Buffer): void {
    let messages: KernelMessage[];
    try {
      messages = this.reader.push(chunk);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.kill(`broke the protocol: ${error.message}`);
      return;
    }
    for (const message of messages) {
      if (message.type === "ready") {
        this.ready = true;
        continue;
      }
      const pending = this.pending;
      if (!pending || pending.id !== message.id) continue;
      this.pending = undefined;
      this.keepNodeRunning(false);
      pending.resolve({ output: message.output, error: message.error, errorType: message.errorType });
    }
  }

  private fail(description: ExitDescription): void {
    this.exitDescription ??= description;
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(new KernelExitedError(this.exitDescription.reason, this.exitDescription.cause));
  }

  /** Describes the exit (the cgroup's counters say whether its memory limit struck), then removes the cgroup. */
  private async closed(code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    const { cgroup } = this.options;
    const memory: MemoryReport | undefined = cgroup?.memoryReport();
    this.fail(this.describeExit(code, signal, memory));
    // A leftover empty group costs next to nothing.
    await cgroup?.destroy().catch(logged(log, "debug", "removing a kernel's cgroup failed"));
  }

  private describeExit(code: number | null, signal: NodeJS.Signals | null, memory: MemoryReport | undefined): ExitDescription {
    if (this.killReason) return { reason: this.killReason, cause: "code" };
    if (!this.ready) {
      const details = this.diagnostics.trim();
      return { reason: `exited during startup (exit code ${code ?? signal})${details ? `: ${details}` : ""}`, cause: "startup" };
    }
    // bwrap reports a child killed by signal N as exit code 128 + N.
    const signalNumber = signal ? constants.signals[signal] : code !== null && code > 128 ? code - 128 : undefined;
    const { settings } = this.options;
    switch (signalNumber) {
      case constants.signals.SIGXCPU:
        return { reason: `exceeded its CPU time limit (${settings.cpuSeconds} s of CPU per call)`, cause: "code" };
      case constants.signals.SIGKILL:
        if (memory?.killedAtLimit) return { reason: memoryLimitReason(settings.memoryMb), cause: "code" };
        return {
          reason: memory
            ? "was killed from outside the sandbox (SIGKILL) - not by this code's own limits, but by an operator or by the host running out of memory"
            : "was killed (SIGKILL) from outside the sandbox or by the host running out of memory (this host gives the sandbox no memory cgroup, so which cannot be told)",
          cause: "outside",
        };
      case constants.signals.SIGTERM:
        return { reason: "was stopped from outside the sandbox (SIGTERM), not by this code's own limits", cause: "outside" };
      case constants.signals.SIGSEGV:
      case constants.signals.SIGBUS:
      case constants.signals.SIGABRT:
        return {
          reason: `crashed (${signalName(signalNumber)}), possibly from running out of memory (limit ${settings.memoryMb} MB)`,
          cause: "code",
        };
      case undefined:
        return { reason: `exited (exit code ${code}), e.g. through os._exit() or a crash`, cause: "code" };
      default:
        return { reason: `was killed by signal ${signalName(signalNumber)}`, cause: "code" };
    }
  }
}

function memoryLimitReason(memoryMb: number): string {
  return (
    `was killed because the code used more than its ${memoryMb} MB memory limit, counted for the whole sandbox: ` +
    "every process it started, shared memory and memfds, and files in /tmp and /dev/shm. Use less memory at once " +
    "(smaller chunks, fewer processes, delete temporary files)"
  );
}

/** The hard file-size limit: no single file may be larger than the file limit or the whole disk quota. */
export function maxFileBytes(settings: SandboxSettings): number {
  return Math.min(settings.maxFileSizeMb, settings.diskMb) * 1024 * 1024;
}

function signalName(signalNumber: number): string {
  const entry = Object.entries(constants.signals).find(([, number]) => number === signalNumber);
  return entry ? entry[0] : `#${signalNumber}`;
}
