import { z } from "zod";
import type { ContentPart, FunctionCallItem, FunctionCallOutputItem, ToolErrorKind } from "../core/items.js";
import { errorMessage, ToolError } from "../core/errors.js";
import type { ToolRegistry } from "../tools/registry.js";
import type { RunResources } from "../tools/run-resources.js";
import type { AnyTool, SandboxSettings, ToolArtifact, ToolOutput, ToolSource } from "../tools/tool.js";

export type ToolCallEnvironment = {
  tools: ToolRegistry;
  model: { id: string; vision: boolean };
  runId: string;
  workspace: string;
  /**
   * Creates the workspace on first use. Only tools that may touch files need it: a tool whose
   * effects are "none" is pure computation on its arguments, and a mkdir per run was a large
   * share of a fan-out's CPU time.
   */
  ensureWorkspace: () => Promise<void>;
  resources: RunResources;
  sandbox: SandboxSettings;
  /** The run's signal (cancel, deadline). */
  signal: AbortSignal;
  timeoutMs: number;
  /** Hands a finished call's output to the context: one too large for it goes to a workspace file (context/offload-output.ts). */
  offloadOutput?: (callId: string, content: string | ContentPart[]) => Promise<string | ContentPart[]>;
};

export type ToolCallResult = {
  output: Omit<FunctionCallOutputItem, "id">;
  artifacts: ToolArtifact[];
  sources: ToolSource[];
};

/** Text kept from one tool result; the model is told when more was cut. */
export const maxToolOutputCharacters = 50_000;

/**
 * Runs one tool call and always returns an output the model can read: bad JSON, unknown tools,
 * invalid arguments, timeouts and tool failures become error outputs, never exceptions.
 * Infrastructure failures of idempotent tools are tried once more. `beforeRun` is awaited once
 * the call is valid, just before the tool runs (a failure there is thrown, and the tool never runs).
 */
export async function executeToolCall(
  call: FunctionCallItem,
  environment: ToolCallEnvironment,
  beforeRun?: (tool: AnyTool) => Promise<void>,
): Promise<ToolCallResult> {
  const started = Date.now();
  const finish = (
    output: string | ContentPart[],
    errorKind?: ToolErrorKind,
    artifacts: ToolArtifact[] = [],
    sources: ToolSource[] = [],
  ) => ({
    output: {
      type: "function_call_output" as const,
      call_id: call.call_id,
      output: boundOutput(output),
      ...(errorKind ? { error_kind: errorKind } : {}),
      duration_ms: Date.now() - started,
    },
    artifacts,
    sources,
  });

  const tool = environment.tools.get(call.name);
  if (!tool) {
    const available = environment.tools.names().join(", ") || "none";
    return finish(
      `Error: there is no tool named "${call.name}". Available tools: ${available}. Call one of these, or answer without tools.`,
      "unknown_tool",
    );
  }
  let parsed: unknown;
  try {
    parsed = call.arguments.trim() === "" ? {} : JSON.parse(call.arguments);
  } catch (error) {
    return finish(
      `Error: the arguments of your call to "${call.name}" are not valid JSON (${errorMessage(error)}). Call it again with the arguments as one JSON object that matches its schema.`,
      "invalid_arguments",
    );
  }
  const validated = tool.parameters.safeParse(parsed);
  if (!validated.success) {
    return finish(
      `Error: invalid arguments for "${call.name}":\n${z.prettifyError(validated.error)}\nCall it again with arguments that match its schema.`,
      "invalid_arguments",
    );
  }

  if (tool.effects !== "none") await environment.ensureWorkspace();
  await beforeRun?.(tool);
  const timeoutMs = tool.timeoutMs ?? environment.timeoutMs;
  const attempts = tool.idempotent ? 2 : 1;
  for (let attempt = 1; ; attempt++) {
    const outcome = await runWithTimeout((signal) =>
      tool.run(validated.data, {
        signal,
        model: environment.model,
        runId: environment.runId,
        callId: call.call_id,
        workspace: environment.workspace,
        resources: environment.resources,
        sandbox: environment.sandbox,
      }),
    );
    if (outcome.kind === "done") {
      const content = environment.offloadOutput
        ? await environment.offloadOutput(call.call_id, outcome.value.content)
        : outcome.value.content;
      return finish(content, undefined, outcome.value.artifacts, outcome.value.sources);
    }
    if (outcome.kind === "cancelled")
      return finish("The call was stopped because the run was cancelled or its deadline arrived.", "cancelled");
    if (outcome.kind === "timeout") {
      return finish(
        `Error: the call to "${call.name}" took longer than ${Math.round(timeoutMs / 1000)} s and was stopped. Try a smaller or faster piece of work.`,
        "timeout",
      );
    }
    if (outcome.error instanceof ToolError) return finish(`Error: ${outcome.error.message}`, "tool_error");
    if (attempt >= attempts) {
      return finish(
        `Error: the "${call.name}" tool is unavailable right now (${errorMessage(outcome.error)}). This is not a problem with your call; try another way to make progress.`,
        "infra_error",
      );
    }
  }

  type Outcome = { kind: "done"; value: ToolOutput } | { kind: "failed"; error: unknown } | { kind: "timeout" } | { kind: "cancelled" };

  // Resolves on the tool's result or as soon as the call is aborted, whichever comes first, so
  // a tool that ignores its signal cannot hold the run.
  async function runWithTimeout(run: (signal: AbortSignal) => Promise<ToolOutput>): Promise<Outcome> {
    // One controller and a plain timer per call: cheaper than AbortSignal.any + timeout on a hot path.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException(`The tool call took longer than ${timeoutMs} ms.`, "TimeoutError"));
    }, timeoutMs);
    const onRunAbort = () => controller.abort(environment.signal.reason);
    if (environment.signal.aborted) onRunAbort();
    else environment.signal.addEventListener("abort", onRunAbort, { once: true });
    const stopped = (): Outcome => (timedOut ? { kind: "timeout" } : { kind: "cancelled" });
    const aborted = new Promise<Outcome>((resolve) => {
      if (controller.signal.aborted) resolve(stopped());
      else controller.signal.addEventListener("abort", () => resolve(stopped()), { once: true });
    });
    // Aborted before it began (cancel during setup): never start the tool.
    if (controller.signal.aborted) {
      clearTimeout(timer);
      environment.signal.removeEventListener("abort", onRunAbort);
      return stopped();
    }
    const ran = run(controller.signal).then(
      (value): Outcome => ({ kind: "done", value }),
      (error: unknown): Outcome => ({ kind: "failed", error }),
    );
    try {
      const outcome = await Promise.race([ran, aborted]);
      return outcome.kind === "failed" && controller.signal.aborted ? stopped() : outcome;
    } finally {
      clearTimeout(timer);
      environment.signal.removeEventListener("abort", onRunAbort);
    }
  }
}

function boundOutput(output: string | ContentPart[]): string | ContentPart[] {
  if (typeof output !== "string" || output.length <= maxToolOutputCharacters) return output;
  const cut = output.length - maxToolOutputCharacters;
  return `${output.slice(0, maxToolOutputCharacters)}\n[Output cut: ${cut} more characters were left out.]`;
}
