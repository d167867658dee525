// The MCP client's costs against server-everything over stdio: starting a server (spawn,
// initialise, list tools) through Ponder vs the bare SDK client, one `echo` call through the
// Ponder tool (argument check, call, result conversion) vs a bare `client.callTool`, and how long
// a killed server takes to come back on the next call.
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { RunResources } from "../src/tools/run-resources.js";
import { connectMcpServers } from "../src/tools/mcp/mcp-servers.js";
import { defaultSandboxSettings, type ToolContext } from "../src/tools/tool.js";
import { formatMs, median, percentile } from "./statistics.js";

const serverPath = fileURLToPath(new URL("../../node_modules/@modelcontextprotocol/server-everything/dist/index.js", import.meta.url));
const server = { command: process.execPath, args: [serverPath] };
const starts = 10;
const calls = 300;
/** Below the per-run restart limit (3). */
const restarts = 3;

function context(): ToolContext {
  return {
    model: { id: "bench", vision: true },
    signal: new AbortController().signal,
    runId: "bench",
    callId: "bench",
    workspace: "/tmp",
    resources: new RunResources(),
    sandbox: defaultSandboxSettings,
  };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

export async function benchMcpClient(): Promise<void> {
  console.log("MCP client (server-everything over stdio)");

  const ponderStarts: number[] = [];
  const bareStarts: number[] = [];
  const startPonder = async () => {
    let servers: Awaited<ReturnType<typeof connectMcpServers>> | undefined;
    ponderStarts.push(await timed(async () => (servers = await connectMcpServers({ everything: server }))));
    await servers?.close();
  };
  const startBare = async () => {
    const client = new Client({ name: "bench", version: "1" });
    bareStarts.push(
      await timed(async () => {
        await client.connect(new StdioClientTransport({ ...server, stderr: "pipe" }));
        await client.listTools();
      }),
    );
    await client.close();
  };
  // Alternating which goes first keeps the previous server's exit from weighing on one side.
  for (let index = 0; index < starts; index++) {
    for (const start of index % 2 === 0 ? [startPonder, startBare] : [startBare, startPonder]) await start();
  }
  console.log(
    `  start + list tools, Ponder:  p50 ${formatMs(median(ponderStarts))}  (bare SDK ${formatMs(median(bareStarts))}, ${starts} starts)`,
  );

  const servers = await connectMcpServers({ everything: server });
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(new StdioClientTransport({ ...server, stderr: "pipe" }));
  try {
    const echo = servers.tools().find((tool) => tool.name === "everything__echo");
    if (!echo) throw new Error("server-everything offers no echo tool");
    const ponderCalls: number[] = [];
    const bareCalls: number[] = [];
    for (let index = 0; index < calls; index++) {
      ponderCalls.push(await timed(() => echo.run(echo.parameters.parse({ message: `hello ${index}` }), context())));
      bareCalls.push(await timed(() => client.callTool({ name: "echo", arguments: { message: `hello ${index}` } })));
    }
    const overhead = median(ponderCalls) - median(bareCalls);
    console.log(
      `  echo call, Ponder tool:      p50 ${formatMs(median(ponderCalls))}  p90 ${formatMs(percentile(ponderCalls, 0.9))}  ` +
        `(bare SDK p50 ${formatMs(median(bareCalls))}; Ponder adds ${formatMs(overhead)}, ${calls} calls)`,
    );

    const restartTimes: number[] = [];
    for (let index = 0; index < restarts; index++) {
      const processId = servers.servers()[0]?.processId;
      if (processId === undefined) throw new Error("no server process");
      process.kill(processId, "SIGKILL");
      while (servers.servers()[0]?.state !== "stopped") await new Promise((resolve) => setTimeout(resolve, 5));
      restartTimes.push(await timed(() => echo.run({ message: "back" }, context())));
    }
    console.log(`  first call after a crash (restart + call): p50 ${formatMs(median(restartTimes))}  (${restartTimes.length} restarts)`);
  } finally {
    await client.close();
    await servers.close();
  }
}
