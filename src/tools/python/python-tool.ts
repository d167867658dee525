// The `python` tool: runs code in the run's persistent, sandboxed Python kernel.
//
// How failures reach the model:
// - a Python exception is ordinary output: the model reads the traceback and fixes its code, and
//   the kernel with its variables lives on, so the call succeeds with the traceback as content
//   (after any output, under a clear "Error" line), never as a thrown error;
// - the kernel dying (CPU, memory, process or time limit, crash, abort) throws ToolError: the
//   model learns that state is gone and can change approach;
// - the sandbox failing to start throws ToolInfraError or SandboxUnavailableError: not the
//   model's fault.
import { z } from "zod";
import { defineTool } from "../tool.js";
import type { SandboxSettings, Tool, ToolContext, ToolOutput } from "../tool.js";
import { PythonKernel } from "./kernel.js";
import type { CellResult } from "./kernel.js";

/** The RunResources key of a run's kernel. */
export const pythonKernelResource = "python-kernel";

export type PythonToolOptions = {
  /** Where bubblewrap is; tests point this at a missing file to simulate a machine without it. */
  bwrapPath?: string;
  pythonPath?: string;
  /** Wall-clock limit per call; default twice the sandbox's CPU allowance. */
  callTimeoutMs?: number;
};

const parameters = z.object({
  code: z.string().min(1).describe("Python source to run, like a notebook cell."),
});

export function createPythonTool(options: PythonToolOptions = {}): Tool<{ code: string }> {
  return defineTool({
    name: "python",
    description:
      "Run Python 3 code in a persistent sandboxed kernel, like a Jupyter notebook cell. Variables, " +
      "imports and functions persist between calls. The value of a final expression is shown (end the " +
      "line with ; to hide it); use print() for everything else. The working directory is /workspace: " +
      "files saved there (plots with plt.savefig('name.png'), CSVs, reports) are shown to the user; " +
      "plt.show() displays nothing, so save figures instead. numpy, pandas, matplotlib, scipy, sympy, " +
      "scikit-learn (sklearn) and statsmodels are installed; there is normally no network access, so pip cannot install packages. Each call is limited in CPU " +
      "time, wall time, memory (for all its processes together), processes, file size and the workspace's " +
      "disk space, and long output is cut in the middle. A Python exception returns its traceback and " +
      "keeps the kernel; if a limit kills the kernel, its state is lost and the next call starts fresh.",
    parameters,
    effects: "write",
    // A little over the kernel's own limit, so that its clearer message wins the race.
    ...(options.callTimeoutMs !== undefined ? { timeoutMs: options.callTimeoutMs + 5_000 } : {}),
    async run(args, context: ToolContext): Promise<ToolOutput> {
      const kernel = await context.resources.get(pythonKernelResource, () => createKernel(context, options));
      const result = await kernel.run(args.code, context.signal);
      return { content: formatResult(result, context.sandbox), artifacts: result.artifacts };
    },
  });
}

export const pythonTool: Tool<{ code: string }> = createPythonTool();

function createKernel(context: ToolContext, options: PythonToolOptions): PythonKernel {
  return new PythonKernel({
    workspace: context.workspace,
    settings: context.sandbox,
    ...(options.bwrapPath !== undefined ? { bwrapPath: options.bwrapPath } : {}),
    ...(options.pythonPath !== undefined ? { pythonPath: options.pythonPath } : {}),
    ...(options.callTimeoutMs !== undefined ? { callTimeoutMs: options.callTimeoutMs } : {}),
  });
}

const unsafeWarning =
  "WARNING: UNSAFE MODE - this code ran WITHOUT a sandbox (the user opted in): it can read and change " +
  "the user's files and reach the network.";

/** What the model reads: notes first, then the output, then the error, then saved files. */
export function formatResult(result: CellResult, settings: SandboxSettings): string {
  const sections: string[] = [];
  if (result.unsandboxed) sections.push(unsafeWarning);
  if (result.restartNote) sections.push(result.restartNote);
  if (result.output) sections.push(result.output.replace(/\n$/, ""));
  if (result.error) {
    const memoryHint = result.error.type === "MemoryError" ? ` The sandbox allows about ${settings.memoryMb} MB of memory.` : "";
    sections.push(
      `Error: the code raised ${result.error.type} (the kernel and its variables are kept).${memoryHint}\n` +
        result.error.traceback.replace(/\n$/, ""),
    );
  }
  if (result.artifacts.length > 0) {
    sections.push(`Files saved (shown to the user): ${result.artifacts.map((artifact) => artifact.name).join(", ")}`);
  }
  return sections.length > 0 ? sections.join("\n\n") : "(no output)";
}
