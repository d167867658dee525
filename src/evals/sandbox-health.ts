// After a run whose Python calls failed, a fresh kernel in the same workspace runs a trivial
// cell. A model can break its own sandbox (fill the disk, remove permissions on the workspace);
// every later call then fails and the sample would be logged as the model's failure, or even a
// pass on a stale answer (inspect_ai #4709). A workspace that fails the probe makes the sample
// an infrastructure error, retried in a fresh run.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Item } from "../core/items.js";
import { errorMessage } from "../core/errors.js";
import { PythonKernel } from "../tools/python/kernel.js";
import type { SandboxSettings } from "../tools/tool.js";
import { logged, logger } from "../logging/logger.js";

const log = logger("evals");

const probe =
  'import os\nwith open("/workspace/.ponder-health", "w") as probe:\n    probe.write("ok")\nos.remove("/workspace/.ponder-health")\nprint(6 * 7)';

/** Whether the run's Python calls failed in a way a broken sandbox would explain. */
export function pythonCallsFailed(items: readonly Item[]): boolean {
  const pythonCalls = new Set(items.flatMap((item) => (item.type === "function_call" && item.name === "python" ? [item.call_id] : [])));
  return items.some(
    (item) =>
      item.type === "function_call_output" &&
      pythonCalls.has(item.call_id) &&
      (item.error_kind === "timeout" || item.error_kind === "tool_error"),
  );
}

/** Undefined when healthy; otherwise what is wrong. */
export async function sandboxProblem(workspace: string, sandbox: SandboxSettings, signal?: AbortSignal): Promise<string | undefined> {
  const kernel = new PythonKernel({ workspace, settings: sandbox, callTimeoutMs: 20_000 });
  try {
    const result = await kernel.run(probe, signal);
    if (result.error) return `the sandbox health check failed: ${result.error.type}`;
    return result.output.includes("42") ? undefined : "the sandbox health check printed nothing";
  } catch (error) {
    return `the sandbox health check failed: ${errorMessage(error)}`;
  } finally {
    await kernel.close();
    await rm(join(workspace, ".ponder-health"), { force: true }).catch(
      logged(log, "debug", "the sandbox check's marker file was not removed"),
    );
  }
}
