// The wire to one MCP server: a child process on stdio, or Streamable HTTP. Both come from the
// official SDK; this file adds what Ponder needs around them: the child's stderr kept (the last
// few KB, for error messages) instead of spilling into the terminal's live view, a way to make
// sure the child is gone (the SDK's close returns early when a failed start already began
// closing it), and an HTTP session ended politely before the connection closes.
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { isHttpServer, type McpServerSettings } from "./mcp-server-settings.js";
import { logged, logger } from "../../logging/logger.js";

const log = logger("tools.mcp");

const keptStderrCharacters = 4_000;
/** How long closing waits for an HTTP server to end its session. */
const sessionEndTimeoutMs = 2_000;
/** How long a process gets to exit after SIGTERM before SIGKILL. */
const terminateGraceMs = 2_000;

export type McpTransport = {
  transport: Transport;
  /** The server's process id while it runs (stdio servers only). */
  processId(): number | undefined;
  /** The end of what the server wrote to stderr, for error messages. */
  stderrTail(): string;
  /** Ends an HTTP session (best effort, bounded); a no-op for stdio, whose close stops the process. */
  endSession(): Promise<void>;
  /** Makes sure the server's process is gone: SIGTERM, then SIGKILL. A no-op for HTTP. */
  terminate(): Promise<void>;
};

/** The SDK's stdio transport, remembering its child's pid after the SDK has let go of it. */
class TrackedStdioTransport extends StdioClientTransport {
  spawnedProcessId: number | undefined;

  override async start(): Promise<void> {
    await super.start();
    this.spawnedProcessId = this.pid ?? undefined;
  }
}

export function createMcpTransport(settings: McpServerSettings): McpTransport {
  if (isHttpServer(settings)) {
    const transport = new StreamableHTTPClientTransport(new URL(settings.url), {
      ...(settings.headers ? { requestInit: { headers: settings.headers } } : {}),
    });
    return {
      transport,
      processId: () => undefined,
      stderrTail: () => "",
      endSession: () => withinTime(transport.terminateSession(), sessionEndTimeoutMs),
      terminate: async () => undefined,
    };
  }
  const transport = new TrackedStdioTransport({
    command: settings.command,
    ...(settings.args ? { args: settings.args } : {}),
    ...(settings.env ? { env: settings.env } : {}),
    ...(settings.cwd ? { cwd: settings.cwd } : {}),
    stderr: "pipe",
  });
  let stderr = "";
  // Always read the pipe: a server whose stderr nobody reads blocks once the pipe is full.
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-keptStderrCharacters);
  });
  return {
    transport,
    processId: () => transport.pid ?? undefined,
    stderrTail: () => stderr.trim(),
    endSession: async () => undefined,
    terminate: () => terminate(transport.spawnedProcessId),
  };
}

async function terminate(processId: number | undefined): Promise<void> {
  if (processId === undefined || !isAlive(processId)) return;
  signal(processId, "SIGTERM");
  if (await exits(processId, terminateGraceMs)) return;
  signal(processId, "SIGKILL");
  await exits(processId, terminateGraceMs);
}

/** Waits up to `timeoutMs` for the process to be gone (Node reaps its children as they exit). */
async function exits(processId: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(processId)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

function isAlive(processId: number): boolean {
  try {
    process.kill(processId, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(processId: number, name: NodeJS.Signals): void {
  try {
    process.kill(processId, name);
  } catch {
    // Already gone.
  }
}

async function withinTime(work: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  try {
    await Promise.race([work.catch(logged(log, "debug", "an MCP server's shutdown step failed; the next one follows")), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
