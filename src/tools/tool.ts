import type { z } from "zod";
import type { ContentPart } from "../core/items.js";
import type { RunResources } from "./run-resources.js";

/**
 * What a tool can do to the world. The policy maps effects (and tool names) to allow/ask/deny.
 * - none: pure computation on its arguments
 * - read: reads local state (files, the workspace)
 * - write: changes local state, confined to the run's workspace or sandbox
 * - external: reaches outside the machine (network, third-party services)
 */
export type ToolEffect = "none" | "read" | "write" | "external";

/** Sandbox limits and permissions, decided by the policy and handed to tools that run code. */
export type SandboxSettings = {
  /** Allow network access from sandboxed code. */
  network: boolean;
  memoryMb: number;
  cpuSeconds: number;
  maxProcesses: number;
  maxFileSizeMb: number;
  /** Disk the workspace may use in all (files written by code, attachments, plots). */
  diskMb: number;
  /** Bytes of stdout+stderr kept per call; the rest is cut with a note saying so. */
  maxOutputBytes: number;
  /** Run code without bubblewrap. Only ever true when the user named the unsafe option. */
  unsafeNoSandbox: boolean;
  /** How long a conversation's Python kernel is kept for its next turn after a turn ends; 0 stops it with the turn. */
  idleKernelMinutes: number;
};

export const defaultSandboxSettings: SandboxSettings = {
  network: false,
  memoryMb: 1024,
  cpuSeconds: 60,
  maxProcesses: 64,
  maxFileSizeMb: 100,
  diskMb: 1024,
  maxOutputBytes: 20_000,
  unsafeNoSandbox: false,
  idleKernelMinutes: 15,
};

export type ToolContext = {
  /** What the run's model can take in: tools that return images check `vision` and explain when it is false. */
  model: { id: string; vision: boolean };
  /** Aborts when the run is cancelled or the call times out; tools must stop promptly. */
  signal: AbortSignal;
  runId: string;
  callId: string;
  /** The run's own directory, read-write for tools; files written here can become artifacts. */
  workspace: string;
  /** Per-run resources (a Python kernel, a browser) that live until the run ends. */
  resources: RunResources;
  sandbox: SandboxSettings;
};

export type ToolArtifact = { path: string; name: string; mediaType: string };

/** A source a tool read, for the run's citation ledger (see SourceItem). */
export type ToolSource = {
  /** Stable for the same URL: use `sourceIdOf(url)`. */
  sourceId: string;
  url: string;
  title: string;
  mediaType: string;
  /** The text that was read (extracted Markdown, PDF text): kept so citations can be checked. */
  text: string;
};

export type ToolOutput = {
  /** What the model reads: text, or text and images. */
  content: string | ContentPart[];
  /** Files the call produced that the user should see (plots, reports). */
  artifacts?: ToolArtifact[];
  /** Pages and documents the call read: recorded in the run's citation ledger. */
  sources?: ToolSource[];
};

export interface Tool<Args = unknown> {
  readonly name: string;
  readonly description: string;
  readonly parameters: z.ZodType<Args>;
  readonly effects: ToolEffect;
  /**
   * Running the call again with the same arguments has no effect beyond the first run. Such a
   * call is tried once more after an infrastructure failure, and one that was running when its
   * process died is run again on resume (see `repeatingIsSafe`). Tools whose effects are `none`
   * or `read` need not say so.
   */
  readonly idempotent?: boolean;
  /** Overrides the run's per-call timeout. */
  readonly timeoutMs?: number;
  /**
   * Runs the call. Throw `ToolError` for failures the model should read and react to, and
   * `ToolInfraError` for failures of the tool's own machinery.
   */
  run(args: Args, context: ToolContext): Promise<ToolOutput>;
}

// A tool whose argument type has been erased, as held in a registry.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTool = Tool<any>;

/**
 * Whether a call of this tool may be run again when it was interrupted by a crash and its outcome
 * is unknown: the tool only computes or reads (effects `none` or `read`), or declares itself
 * `idempotent`. Otherwise the model is told the outcome is unknown instead.
 */
export function repeatingIsSafe(tool: Pick<AnyTool, "effects" | "idempotent">): boolean {
  return tool.idempotent === true || tool.effects === "none" || tool.effects === "read";
}

export function defineTool<Args>(tool: Tool<Args>): Tool<Args> {
  return tool;
}
