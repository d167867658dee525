// Shared by the Python tool's tests: a throwaway workspace, small limits so that limit tests end
// quickly, and a tool context around a real RunResources.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunResources } from "../../../src/tools/run-resources.js";
import type { SandboxSettings, ToolContext } from "../../../src/tools/tool.js";
import { defaultSandboxSettings } from "../../../src/tools/tool.js";
import { PythonKernel } from "../../../src/tools/python/kernel.js";
import type { PythonKernelOptions } from "../../../src/tools/python/kernel.js";

export const testSettings: SandboxSettings = {
  ...defaultSandboxSettings,
  memoryMb: 512,
  cpuSeconds: 2,
  maxProcesses: 32,
  maxFileSizeMb: 64,
  maxOutputBytes: 4_000,
};

export type TestWorkspace = { path: string; remove: () => Promise<void> };

export async function temporaryWorkspace(): Promise<TestWorkspace> {
  const path = await mkdtemp(join(tmpdir(), "ponder-python-test-"));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A kernel on a fresh workspace; `dispose` closes it and deletes the workspace. */
export async function startKernel(options: Partial<PythonKernelOptions> = {}) {
  const workspace = await temporaryWorkspace();
  const kernel = new PythonKernel({ workspace: workspace.path, settings: testSettings, callTimeoutMs: 20_000, ...options });
  return {
    kernel,
    workspace: workspace.path,
    dispose: async () => {
      await kernel.close();
      await workspace.remove();
    },
  };
}

export async function toolContext(overrides: Partial<ToolContext> = {}) {
  const workspace = await temporaryWorkspace();
  const resources = new RunResources();
  const context: ToolContext = {
    model: { id: "scripted:test", vision: false },
    signal: new AbortController().signal,
    runId: "run-test",
    callId: "call-test",
    workspace: workspace.path,
    resources,
    sandbox: testSettings,
    ...overrides,
  };
  return {
    context,
    dispose: async () => {
      await context.resources.closeAll();
      await workspace.remove();
    },
  };
}

/** Pids of live processes owned by `uid`, read from /proc. Zombies (dead, not yet reaped) do not count. */
export async function processesOwnedBy(uid: number): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const status = await readFile(`/proc/${name}/status`, "utf8").catch(() => "");
    const field = (key: string) =>
      status
        .split("\n")
        .find((line) => line.startsWith(`${key}:`))
        ?.split(/\s+/)[1];
    if (field("Uid") === String(uid) && field("State") !== "Z") pids.push(Number(name));
  }
  return pids;
}

/** Waits until `uid` owns no live process (the kernel tears a pid namespace down asynchronously). */
export async function waitUntilNoProcessesOwnedBy(uid: number, timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pids = await processesOwnedBy(uid);
    if (pids.length === 0 || Date.now() > deadline) return pids;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
