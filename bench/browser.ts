// The browser tools: a cold start (launch Chromium, open a local page, take the first
// screenshot, as a run's first browser call does) and the warm actions that follow, against a
// page served on 127.0.0.1. Chromium is the system one; nothing goes over the network.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBrowserTools } from "../src/tools/browser/index.js";
import { RunResources } from "../src/tools/run-resources.js";
import { defaultSandboxSettings, type AnyTool, type ToolContext } from "../src/tools/tool.js";
import { formatMs, median, percentile } from "./statistics.js";

const coldRounds = 10;
const warmRounds = 20;

const page = `<!doctype html><html><head><title>Bench page</title></head><body>
<h1>Benchmark</h1><p id="status">Waiting.</p>
<button onclick="document.getElementById('status').textContent = 'Pressed ' + Date.now()">Press</button>
${Array.from({ length: 60 }, (_, index) => `<p>Line ${index + 1} with a <a href="/#${index}">link</a> and some text.</p>`).join("\n")}
</body></html>`;

export async function benchBrowser(): Promise<void> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const workspace = mkdtempSync(join(tmpdir(), "ponder-bench-browser-"));
  const tools = createBrowserTools();
  const run = (resources: RunResources, name: string, args: unknown) => {
    const tool = tools.find((candidate) => candidate.name === name) as AnyTool;
    return tool.run(tool.parameters.parse(args), contextOf(workspace, resources));
  };
  try {
    const cold: number[] = [];
    for (let round = 0; round < coldRounds; round++) {
      const resources = new RunResources();
      const started = performance.now();
      await run(resources, "browser_open", { url });
      await run(resources, "browser_screenshot", {});
      cold.push(performance.now() - started);
      await resources.closeAll();
    }

    const resources = new RunResources();
    await run(resources, "browser_open", { url });
    const warm: Record<string, number[]> = { open: [], click: [], scroll: [], screenshot: [] };
    for (let round = 0; round < warmRounds; round++) {
      warm.open?.push(await timed(() => run(resources, "browser_open", { url })));
      warm.click?.push(await timed(() => run(resources, "browser_click", { target: "Press" })));
      warm.scroll?.push(await timed(() => run(resources, "browser_scroll", { direction: "down" })));
      warm.screenshot?.push(await timed(() => run(resources, "browser_screenshot", {})));
    }
    await resources.closeAll();

    console.log(`browser: cold start (launch Chromium + open a local page + first screenshot), ${coldRounds} runs`);
    console.log(`  p50 ${formatMs(median(cold))}   p90 ${formatMs(percentile(cold, 0.9))}   min ${formatMs(Math.min(...cold))}`);
    console.log(`browser: warm actions on the same tab (page view included), ${warmRounds} each`);
    for (const [action, values] of Object.entries(warm)) {
      console.log(`  ${action.padEnd(10)} p50 ${formatMs(median(values))}   p90 ${formatMs(percentile(values, 0.9))}`);
    }
  } finally {
    server.close();
    rmSync(workspace, { recursive: true, force: true });
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function contextOf(workspace: string, resources: RunResources): ToolContext {
  return {
    model: { id: "bench:model", vision: true },
    signal: new AbortController().signal,
    runId: "run_bench",
    callId: "call_bench",
    workspace,
    resources,
    sandbox: defaultSandboxSettings,
  };
}
