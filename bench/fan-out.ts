// Fan-out: N child runs of one question (N = 100 and 1,000), 5 steps each (4 tool calls, then
// the answer), against a fake model in a separate process that answers every call after 200 ms.
// On a small machine the floor is not the ideal 1.0 s, so it is measured in the same run: bare
// fetch chains (N concurrent chains of 5 sequential requests, no framework). Ponder's bestOf and
// Promise.all over the AI SDK's generateText tool loops are reported as ratios to it, with the
// peak RSS each added. Targets: <= 1.1x at N=100, <= 1.2x at N=1,000, < 200 MB added at 1,000.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createInterface } from "node:readline";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, stepCountIs, tool as aiTool } from "ai";
import { z } from "zod";
import { AiSdkModelClient } from "../src/models/ai-sdk-model-client.js";
import { SqliteRunStore } from "../src/store/sqlite-run-store.js";
import { bestOf } from "../src/strategies/best-of.js";
import { defineTool } from "../src/tools/tool.js";

const stepsPerRun = 5;
const modelLatencyMs = 200;
const echoParameters = z.object({ text: z.string() });

async function startServerProcess(): Promise<{ baseURL: string; stop: () => void }> {
  // The shared fake server, answering like bench/fake-server-process.ts but after the model latency.
  const serverModule = new URL("../test/support/fake-openai-server.js", import.meta.url).href;
  const script = `
    import { startFakeOpenAIServer } from ${JSON.stringify(serverModule)};
    const toolResults = (body) => (body.messages ?? body.input ?? []).filter((m) => m.role === "tool" || m.type === "function_call_output").length;
    const server = await startFakeOpenAIServer((body) => toolResults(body) < 4
      ? { delayMs: ${modelLatencyMs}, toolCalls: [{ name: "echo", arguments: '{"text":"hello"}' }], usage: { inputTokens: 50, outputTokens: 10 } }
      : { delayMs: ${modelLatencyMs}, text: "done", usage: { inputTokens: 60, outputTokens: 2 } });
    process.stdout.write(server.baseURL + "\\n");
    process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`fake server exited with ${code}`)));
  });
  return { baseURL: firstLine.trim(), stop: () => child.kill("SIGTERM") };
}

/** Samples RSS every 20 ms while `work` runs; returns its time and the peak RSS above the start. */
async function measure(work: () => Promise<void>): Promise<{ seconds: number; addedMb: number }> {
  global.gc?.();
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { seconds, addedMb: (peak - baseline) / 1024 / 1024 };
}

export async function benchFanOut(): Promise<void> {
  const server = await startServerProcess();
  const home = mkdtempSync(join(tmpdir(), "ponder-bench-fan-out-"));
  const store = new SqliteRunStore(join(home, "ponder.db"));
  try {
    const provider = createOpenAI({ baseURL: server.baseURL, apiKey: "bench" });
    const model = new AiSdkModelClient({ model: provider.chat("fake-model"), api: "openai-chat", id: "openai:fake-model" });
    const echo = defineTool({ name: "echo", description: "Echoes text.", parameters: echoParameters, effects: "none", run: async ({ text }) => ({ content: text }) });
    const floorBody = JSON.stringify({ model: "fake-model", messages: [{ role: "user", content: "Say hello four times with the echo tool." }] });
    const floor = async (count: number) => {
      await Promise.all(
        Array.from({ length: count }, async () => {
          for (let step = 0; step < stepsPerRun; step++) {
            const body = step < stepsPerRun - 1 ? floorBody : JSON.stringify({ model: "fake-model", messages: [...Array.from({ length: 4 }, () => ({ role: "tool", content: "hello" }))] });
            const response = await fetch(`${server.baseURL}/chat/completions`, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer bench" }, body });
            await response.text();
          }
        }),
      );
    };
    const ponder = async (count: number) => {
      const result = await bestOf("Say hello four times with the echo tool.", { model, store, home, env: {}, tools: [echo], samples: count, concurrency: count, equivalence: "exact", budget: { maxSteps: 20 } });
      if (result.samples.answered !== count) throw new Error(`ponder: ${result.samples.answered} of ${count} answered`);
    };
    const aiSdk = async (count: number) => {
      await Promise.all(
        Array.from({ length: count }, async () => {
          const result = await generateText({
            model: provider.chat("fake-model"),
            prompt: "Say hello four times with the echo tool.",
            tools: { echo: aiTool({ description: "Echoes text.", inputSchema: echoParameters, execute: async ({ text }) => text }) },
            stopWhen: stepCountIs(20),
          });
          if (result.steps.length !== stepsPerRun) throw new Error(`generateText took ${result.steps.length} steps`);
        }),
      );
    };
    // Warm-up: JIT, connection pools, the store.
    await floor(20);
    await ponder(20);
    await aiSdk(20);
    console.log(`\nFan-out: N runs x ${stepsPerRun} steps, model latency ${modelLatencyMs} ms (separate process); ratios to the fetch floor`);
    for (const count of [100, 1000]) {
      const floorRun = await measure(() => floor(count));
      const ponderRun = await measure(() => ponder(count));
      const aiSdkRun = await measure(() => aiSdk(count));
      const target = count <= 100 ? 1.1 : 1.2;
      console.log(`  N=${count}: floor ${floorRun.seconds.toFixed(2)} s (+${floorRun.addedMb.toFixed(0)} MB)`);
      console.log(`    ponder bestOf           ${ponderRun.seconds.toFixed(2)} s  ${(ponderRun.seconds / floorRun.seconds).toFixed(2)}x (target <= ${target}x)  +${ponderRun.addedMb.toFixed(0)} MB peak RSS`);
      console.log(`    ai-sdk generateText x N ${aiSdkRun.seconds.toFixed(2)} s  ${(aiSdkRun.seconds / floorRun.seconds).toFixed(2)}x  +${aiSdkRun.addedMb.toFixed(0)} MB peak RSS`);
    }
  } finally {
    server.stop();
    await store.close();
    rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchFanOut();
