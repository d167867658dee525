// Fan-out: N child runs of one question (N = 100 and 1,000), 5 steps each (4 tool calls, then
// the answer), against a fake model in a separate process that answers every call after 200 ms.
// On a small machine the floor is not the ideal 1.0 s, so it is measured in the same run: bare
// fetch chains (N concurrent chains of 5 sequential requests, no framework). Ponder's bestOf and
// Promise.all over the AI SDK's generateText tool loops are reported as ratios to it, with the
// peak RSS each added. Targets: <= 1.1x at N=100, <= 1.2x at N=1,000, < 200 MB added at 1,000.
// One measurement swings by 20% on a shared machine, so each N is measured in several rounds.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createInterface } from "node:readline";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, stepCountIs, tool as aiTool } from "ai";
import { z } from "zod";
import { ChatCompletionsModelClient } from "../src/models/chat-completions/chat-completions-model-client.js";
import { SqliteRunStore } from "../src/store/sqlite-run-store.js";
import { bestOf } from "../src/strategies/best-of.js";
import { defineTool } from "../src/tools/tool.js";
import { median } from "./statistics.js";

const stepsPerRun = 5;
const modelLatencyMs = 200;
const rounds = 3;
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

type Measured = { seconds: number; addedMb: number };

/** Samples RSS every 20 ms while `work` runs; returns its time and the peak RSS above the start. */
async function measure(work: () => Promise<void>): Promise<Measured> {
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
    const model = new ChatCompletionsModelClient({ id: "openai:fake-model", baseURL: server.baseURL, apiKey: "bench", api: "openai-chat" });
    const echo = defineTool({
      name: "echo",
      description: "Echoes text.",
      parameters: echoParameters,
      effects: "none",
      run: async ({ text }) => ({ content: text }),
    });
    const floorBody = JSON.stringify({
      model: "fake-model",
      messages: [{ role: "user", content: "Say hello four times with the echo tool." }],
    });
    const floor = async (count: number) => {
      await Promise.all(
        Array.from({ length: count }, async () => {
          for (let step = 0; step < stepsPerRun; step++) {
            const body =
              step < stepsPerRun - 1
                ? floorBody
                : JSON.stringify({
                    model: "fake-model",
                    messages: [...Array.from({ length: 4 }, () => ({ role: "tool", content: "hello" }))],
                  });
            const response = await fetch(`${server.baseURL}/chat/completions`, {
              method: "POST",
              headers: { "content-type": "application/json", authorization: "Bearer bench" },
              body,
            });
            await response.text();
          }
        }),
      );
    };
    const ponder = async (count: number) => {
      const result = await bestOf("Say hello four times with the echo tool.", {
        model,
        store,
        home,
        env: {},
        tools: [echo],
        samples: count,
        concurrency: count,
        equivalence: "exact",
        budget: { maxSteps: 20 },
      });
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
    console.log(
      `\nFan-out: N runs x ${stepsPerRun} steps, model latency ${modelLatencyMs} ms (separate process); ratios to the fetch floor`,
    );
    console.log(
      `  (${rounds} rounds, each measuring the floor, then Ponder, then the AI SDK; medians, with the rounds' range; peak RSS: the largest)`,
    );
    for (const count of [100, 1000]) {
      const runs: Record<"floor" | "ponder" | "aiSdk", Measured[]> = { floor: [], ponder: [], aiSdk: [] };
      for (let round = 0; round < rounds; round++) {
        runs.floor.push(await measure(() => floor(count)));
        runs.ponder.push(await measure(() => ponder(count)));
        runs.aiSdk.push(await measure(() => aiSdk(count)));
      }
      const target = count <= 100 ? 1.1 : 1.2;
      const seconds = (measured: Measured[]) => median(measured.map((run) => run.seconds)).toFixed(2);
      const peak = (measured: Measured[]) => Math.max(...measured.map((run) => run.addedMb)).toFixed(0);
      // Each round's ratio is to the floor of the same round: the machine's load drifts between rounds.
      const ratios = (measured: Measured[]) => {
        const values = measured.map((run, round) => run.seconds / (runs.floor[round] as Measured).seconds);
        return `${median(values).toFixed(2)}x (${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)})`;
      };
      console.log(`  N=${count}: floor ${seconds(runs.floor)} s (+${peak(runs.floor)} MB)`);
      console.log(
        `    ponder bestOf           ${seconds(runs.ponder)} s  ${ratios(runs.ponder)} (target <= ${target}x)  +${peak(runs.ponder)} MB peak RSS`,
      );
      console.log(`    ai-sdk generateText x N ${seconds(runs.aiSdk)} s  ${ratios(runs.aiSdk)}  +${peak(runs.aiSdk)} MB peak RSS`);
    }
  } finally {
    server.stop();
    await store.close();
    rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchFanOut();
