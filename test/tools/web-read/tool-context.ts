// A ToolContext around a real RunResources and a throwaway workspace, for calling the reading
// tools directly.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunResources } from "../../../src/tools/run-resources.js";
import { defaultSandboxSettings, type ToolContext } from "../../../src/tools/tool.js";

export async function readingToolContext(
  overrides: Partial<ToolContext> = {},
): Promise<{ context: ToolContext; dispose: () => Promise<void> }> {
  const workspace = await mkdtemp(join(tmpdir(), "ponder-read-test-"));
  const context: ToolContext = {
    model: { id: "scripted:test", vision: false },
    signal: new AbortController().signal,
    runId: "run-test",
    callId: "call-test",
    workspace,
    resources: new RunResources(),
    sandbox: defaultSandboxSettings,
    ...overrides,
  };
  return {
    context,
    dispose: async () => {
      await context.resources.closeAll();
      await rm(workspace, { recursive: true, force: true });
    },
  };
}

/** The text of a tool output's content. */
export function textOf(content: string | unknown[]): string {
  return typeof content === "string" ? content : JSON.stringify(content);
}
