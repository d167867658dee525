import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunResources } from "../../../src/tools/run-resources.js";
import { defaultSandboxSettings, type AnyTool, type ToolContext, type ToolOutput } from "../../../src/tools/tool.js";

/** The context a tool gets inside a run: a temporary workspace and the run's resources. */
export function browserTestContext(): { context: ToolContext; resources: RunResources; remove: () => void } {
  const workspace = mkdtempSync(join(tmpdir(), "ponder-browser-"));
  const resources = new RunResources();
  const context: ToolContext = {
    model: { id: "test:model", vision: true },
    signal: new AbortController().signal,
    runId: "run_browser_test",
    callId: "call_1",
    workspace,
    resources,
    sandbox: defaultSandboxSettings,
  };
  return { context, resources, remove: () => rmSync(workspace, { recursive: true, force: true }) };
}

/** Runs the named tool with arguments checked by its schema, as the loop does. */
export function callTool(tools: AnyTool[], name: string, args: unknown, context: ToolContext): Promise<ToolOutput> {
  const tool = tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  return tool.run(tool.parameters.parse(args), context);
}

/** The text of a tool output, images left out. */
export function textOf(output: ToolOutput): string {
  if (typeof output.content === "string") return output.content;
  return output.content.map((part) => (part.type === "input_image" ? "[image]" : part.text)).join("\n");
}

/** Waits until `condition` holds, checking often; fails after a generous bound so a bug cannot hang the suite. */
export async function eventually(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 15_000) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** True while a process with this id exists (a zombie counts as gone: it has exited). */
export function processExists(processId: number): boolean {
  try {
    process.kill(processId, 0);
  } catch {
    return false;
  }
  try {
    return !/\) Z /.test(readFileSync(`/proc/${processId}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** Chromium processes started by this test process (Playwright spawns them as its children). */
export function chromiumChildren(): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return (
          fields[1] === String(process.pid) && fields[0] !== "Z" && /chrom/i.test(stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")))
        );
      } catch {
        return false; // Exited while we looked.
      }
    })
    .map(Number);
}
