// The python tool's latency, through the tool as the loop calls it: cold `print(1)` (a new run,
// so a new sandboxed kernel: spawn + first call), warm `print(1)` in a live kernel, and a cold
// kernel's `import numpy, pandas`. Targets: cold <= 60 ms, warm <= 5 ms. A breakdown of process
// start costs (bwrap alone, python alone, both) shows where cold time goes.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { currentSandboxMode, isolationArguments, systemMountArguments } from "../src/tools/python/bubblewrap.js";
import { defaultBwrapPath, defaultPythonPath } from "../src/tools/python/bubblewrap.js";
import { pythonTool } from "../src/tools/python/python-tool.js";
import { RunResources } from "../src/tools/run-resources.js";
import { defaultSandboxSettings } from "../src/tools/tool.js";
import type { ToolContext } from "../src/tools/tool.js";
import { formatMs, median, percentile } from "./statistics.js";

const coldRuns = 20;
const warmCalls = 200;
const importRuns = 5;

export async function benchPythonTool(): Promise<void> {
  console.log("python tool (bubblewrap sandbox, /usr/bin/python3)");
  // The first kernel pays for the one-time sandbox check and a cold page cache: not measured.
  await timeFreshRun("print(1)");

  const cold: number[] = [];
  for (let index = 0; index < coldRuns; index++) cold.push(await timeFreshRun("print(1)"));
  console.log(
    `  cold print(1), new kernel:   p50 ${formatMs(median(cold))}  p90 ${formatMs(percentile(cold, 0.9))}  (target <= 60 ms, ${coldRuns} runs)`,
  );

  const warm = await timeWarmCalls("print(1)", warmCalls);
  console.log(
    `  warm print(1), live kernel:  p50 ${formatMs(median(warm))}  p90 ${formatMs(percentile(warm, 0.9))}  (target <= 5 ms, ${warmCalls} calls)`,
  );

  const imports: number[] = [];
  for (let index = 0; index < importRuns; index++) imports.push(await timeFreshRun("import numpy, pandas"));
  console.log(`  cold import numpy, pandas:   p50 ${formatMs(median(imports))}  (${importRuns} runs, includes kernel start)`);

  console.log("  where cold time goes (process start to exit, p50 of 20):");
  const sandbox = [
    ...isolationArguments(currentSandboxMode(), false),
    ...systemMountArguments(false),
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--",
  ];
  const breakdown: [string, string, string[]][] = [
    ["bwrap running /usr/bin/true", defaultBwrapPath, [...sandbox, "/usr/bin/true"]],
    ["python3 -s -c pass, no sandbox", defaultPythonPath, ["-s", "-c", "pass"]],
    ["python3 -S -c pass (no site), no sandbox", defaultPythonPath, ["-S", "-c", "pass"]],
    ["python3 -s -c pass in bwrap", defaultBwrapPath, [...sandbox, defaultPythonPath, "-s", "-c", "pass"]],
  ];
  for (const [label, file, args] of breakdown) {
    const times: number[] = [];
    for (let index = 0; index < 20; index++) times.push(await timeProcess(file, args));
    console.log(`    ${label.padEnd(42)} ${formatMs(median(times))}`);
  }
}

async function withContext<T>(body: (context: ToolContext) => Promise<T>): Promise<T> {
  const workspace = await mkdtemp(join(tmpdir(), "ponder-bench-python-"));
  const resources = new RunResources();
  const context: ToolContext = {
    model: { id: "bench", vision: false },
    signal: new AbortController().signal,
    runId: "bench",
    callId: "bench",
    workspace,
    resources,
    sandbox: defaultSandboxSettings,
  };
  try {
    return await body(context);
  } finally {
    await resources.closeAll();
    await rm(workspace, { recursive: true, force: true });
  }
}

function timeFreshRun(code: string): Promise<number> {
  return withContext(async (context) => {
    const started = performance.now();
    await pythonTool.run({ code }, context);
    return performance.now() - started;
  });
}

function timeWarmCalls(code: string, calls: number): Promise<number[]> {
  return withContext(async (context) => {
    await pythonTool.run({ code }, context);
    const times: number[] = [];
    for (let index = 0; index < calls; index++) {
      const started = performance.now();
      await pythonTool.run({ code }, context);
      times.push(performance.now() - started);
    }
    return times;
  });
}

function timeProcess(file: string, args: string[]): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: "ignore", env: {} });
    child.once("error", reject);
    child.once("close", () => resolve(performance.now() - started));
  });
}
