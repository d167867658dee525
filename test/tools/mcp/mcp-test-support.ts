// Shared by the MCP client's tests: where the real servers are, a tool context, and small waits.
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { RunResources } from "../../../src/tools/run-resources.js";
import { defaultSandboxSettings, type ToolContext } from "../../../src/tools/tool.js";
import type { McpServers } from "../../../src/tools/mcp/mcp-servers.js";
import type { McpTool } from "../../../src/tools/mcp/mcp-tool.js";

const modules = new URL("../../../../node_modules/@modelcontextprotocol/", import.meta.url);
export const everythingServerPath = fileURLToPath(new URL("server-everything/dist/index.js", modules));
export const filesystemServerPath = fileURLToPath(new URL("server-filesystem/dist/index.js", modules));
export const changingServerPath = fileURLToPath(new URL("./fixtures/changing-server.js", import.meta.url));

export const everythingServer = { command: process.execPath, args: [everythingServerPath] };

export function toolContext(overrides: Partial<ToolContext> = {}): ToolContext {
  return {
    model: { id: "openai:gpt-4o", vision: true },
    signal: new AbortController().signal,
    runId: "run-test",
    callId: "call-test",
    workspace: tmpdir(),
    resources: new RunResources(),
    sandbox: defaultSandboxSettings,
    ...overrides,
  };
}

export function toolNamed(servers: McpServers, name: string): McpTool {
  const tool = servers.tools().find((candidate) => candidate.name === name);
  if (!tool)
    throw new Error(
      `No tool ${name}; have ${servers
        .tools()
        .map((candidate) => candidate.name)
        .join(", ")}`,
    );
  return tool;
}

/** Runs a tool as the loop does: arguments validated by its own schema first. */
export async function callTool(servers: McpServers, name: string, args: Record<string, unknown>, context: ToolContext = toolContext()) {
  const tool = toolNamed(servers, name);
  return tool.run(tool.parameters.parse(args), context);
}

export function isProcessAlive(processId: number): boolean {
  try {
    process.kill(processId, 0);
    return true;
  } catch {
    return false;
  }
}

/** The processes this test process started that still exist (Linux /proc). */
export function childProcessIds(): number[] {
  return readdirSync("/proc").flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      // The parent pid is the second field after the command, which is in parentheses.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      return parent === process.pid ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

export function processIdOf(servers: McpServers, name: string): number {
  const processId = servers.servers().find((server) => server.name === name)?.processId;
  if (processId === undefined) throw new Error(`Server ${name} has no process`);
  return processId;
}

/** Waits for a condition that an event elsewhere makes true; the test's own timeout bounds it. */
export async function eventually(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

export async function temporaryDirectory(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), "ponder-mcp-test-"));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** server-everything in Streamable HTTP mode on `port`, ready when it says it listens. */
export async function startEverythingHttp(port: number): Promise<{ process: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [everythingServerPath, "streamableHttp"], {
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes("listening on port")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`server-everything exited with ${code}: ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    process: child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
