// Per-step harness overhead: Ponder vs the AI SDK's generateText vs @openai/agents, each minus
// the floor of bare fetch calls replaying the same requests, against one fake model server in a
// separate process (zero model latency). Every harness runs the same 5-step script: 4 turns that
// call an `echo` tool, then an answer. Ponder also writes a SQLite checkpoint every step. Ponder
// runs with its own Chat Completions client (the default for Chat Completions providers) and,
// for comparison, with the AI SDK's chat provider underneath. Ponder's client sends with undici's
// `request`, not fetch: a second floor, node:http with a kept-alive connection, shows what
// Ponder's loop costs over a lean Node client too.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createOpenAI } from "@ai-sdk/openai";
import { Agent, OpenAIChatCompletionsModel, run as runAgent, setTracingDisabled, tool as agentTool } from "@openai/agents";
import { generateText, stepCountIs, streamText, tool as aiTool } from "ai";
import OpenAI from "openai";
import { z } from "zod";
import { startRun } from "../src/library/start-run.js";
import { AiSdkModelClient } from "../src/models/ai-sdk-model-client.js";
import { ChatCompletionsModelClient } from "../src/models/chat-completions/chat-completions-model-client.js";
import type { ModelClient } from "../src/models/model-client.js";
import { SqliteRunStore } from "../src/store/sqlite-run-store.js";
import { defineTool } from "../src/tools/tool.js";
import { formatMs, median, percentile } from "./statistics.js";

const stepsPerRun = 5;
const rounds = 12;
const runsPerRound = 10;
const echoParameters = z.object({ text: z.string() });

type Harness = { name: string; runOnce: () => Promise<void> };

type RecordedRequest = { url: string; body: string };

async function startServerProcess(): Promise<{ baseURL: string; takeRequests: () => Promise<RecordedRequest[]>; stop: () => void }> {
  const child = spawn(process.execPath, [new URL("./fake-server-process.js", import.meta.url).pathname], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const nextLine = () => new Promise<string>((resolve) => lines.once("line", resolve));
  const firstLine = await Promise.race([
    nextLine(),
    new Promise<never>((_resolve, reject) => child.once("exit", (code) => reject(new Error(`fake server exited with ${code}`)))),
  ]);
  // The requests the server received since the last call, to replay in the floor.
  const takeRequests = async () => {
    const answer = nextLine();
    child.stdin.write("requests\n");
    return JSON.parse(await answer) as RecordedRequest[];
  };
  return { baseURL: firstLine.trim(), takeRequests, stop: () => child.kill("SIGTERM") };
}

function floorHarness(name: string, requests: RecordedRequest[]): Harness {
  return {
    name,
    runOnce: async () => {
      for (const request of requests.slice(0, stepsPerRun)) {
        const response = await fetch(request.url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer bench" },
          body: request.body,
        });
        await response.text();
      }
    },
  };
}

const leanAgent = new HttpAgent({ keepAlive: true });

function leanFloorHarness(name: string, requests: RecordedRequest[]): Harness {
  const post = (request: RecordedRequest) =>
    new Promise<void>((resolve, reject) => {
      const headers = {
        "content-type": "application/json",
        authorization: "Bearer bench",
        "content-length": Buffer.byteLength(request.body),
      };
      const outgoing = httpRequest(request.url, { method: "POST", agent: leanAgent, headers }, (response) => {
        response.resume();
        response.once("end", resolve);
        response.once("error", reject);
      });
      outgoing.once("error", reject);
      outgoing.end(request.body);
    });
  return {
    name,
    runOnce: async () => {
      for (const request of requests.slice(0, stepsPerRun)) await post(request);
    },
  };
}

export async function benchHarnessOverhead(): Promise<void> {
  setTracingDisabled(true);
  const server = await startServerProcess();
  const home = mkdtempSync(join(tmpdir(), "ponder-bench-"));
  const store = new SqliteRunStore(join(home, "ponder.db"));
  try {
    const ponderModel = new ChatCompletionsModelClient({
      id: "openai:fake-model",
      baseURL: server.baseURL,
      apiKey: "bench",
      api: "openai-chat",
    });
    const ponderOverAiSdk = new AiSdkModelClient({
      model: createOpenAI({ baseURL: server.baseURL, apiKey: "bench" }).chat("fake-model"),
      api: "openai-chat",
      id: "openai:fake-model",
    });
    const echo = defineTool({
      name: "echo",
      description: "Echoes text.",
      parameters: echoParameters,
      effects: "none",
      run: async ({ text }) => ({ content: text }),
    });
    const ponderHarness = (name: string, stream: boolean, model: ModelClient = ponderModel): Harness => ({
      name,
      runOnce: async () => {
        const handle = await startRun("Say hello four times with the echo tool.", {
          model,
          tools: [echo],
          store,
          home,
          env: {},
          budget: { maxSteps: 20 },
          stream,
        });
        const record = await handle.result;
        if (record.usage.steps !== stepsPerRun) throw new Error(`ponder took ${record.usage.steps} steps: ${record.error?.message ?? ""}`);
      },
    });
    const ponderStreaming = ponderHarness("ponder (streaming)", true);
    const ponderPlain = ponderHarness("ponder (stream: false)", false);
    const ponderPlainOverAiSdk = ponderHarness("ponder over ai-sdk provider", false, ponderOverAiSdk);
    const aiSdkModel = createOpenAI({ baseURL: server.baseURL, apiKey: "bench" }).chat("fake-model");
    const aiSdk: Harness = {
      name: "ai-sdk generateText",
      runOnce: async () => {
        const result = await generateText({
          model: aiSdkModel,
          prompt: "Say hello four times with the echo tool.",
          tools: { echo: aiTool({ description: "Echoes text.", inputSchema: echoParameters, execute: async ({ text }) => text }) },
          stopWhen: stepCountIs(20),
        });
        if (result.steps.length !== stepsPerRun) throw new Error(`generateText took ${result.steps.length} steps`);
      },
    };
    const aiSdkStreaming: Harness = {
      name: "ai-sdk streamText",
      runOnce: async () => {
        const result = streamText({
          model: aiSdkModel,
          prompt: "Say hello four times with the echo tool.",
          tools: { echo: aiTool({ description: "Echoes text.", inputSchema: echoParameters, execute: async ({ text }) => text }) },
          stopWhen: stepCountIs(20),
        });
        for await (const _part of result.fullStream) void _part;
        if ((await result.steps).length !== stepsPerRun) throw new Error("streamText took the wrong number of steps");
      },
    };
    const agent = new Agent({
      name: "bench",
      instructions: "You are a careful assistant.",
      model: new OpenAIChatCompletionsModel(new OpenAI({ baseURL: server.baseURL, apiKey: "bench" }) as never, "fake-model"),
      tools: [agentTool({ name: "echo", description: "Echoes text.", parameters: echoParameters, execute: async ({ text }) => text })],
    });
    const agents: Harness = {
      name: "@openai/agents",
      runOnce: async () => void (await runAgent(agent, "Say hello four times with the echo tool.", { maxTurns: 20 })),
    };

    // Warm up every harness (JIT, connection pools) and record the requests to replay.
    for (const harness of [aiSdk, aiSdkStreaming, agents, ponderPlainOverAiSdk])
      for (let index = 0; index < 20; index++) await harness.runOnce();
    await server.takeRequests();
    for (let index = 0; index < 20; index++) await ponderStreaming.runOnce();
    const streamingRequests = await server.takeRequests();
    for (let index = 0; index < 20; index++) await ponderPlain.runOnce();
    const floorStreamingHarness = floorHarness("floor (streaming requests)", streamingRequests);
    const plainRequests = await server.takeRequests();
    const floorPlainHarness = floorHarness("floor (plain requests)", plainRequests);
    const leanFloorPlainHarness = leanFloorHarness("floor (plain, node:http)", plainRequests);
    const harnesses = [
      floorStreamingHarness,
      floorPlainHarness,
      leanFloorPlainHarness,
      ponderStreaming,
      ponderPlain,
      ponderPlainOverAiSdk,
      aiSdk,
      aiSdkStreaming,
      agents,
    ];
    const perStep = new Map<string, number[]>(harnesses.map((harness) => [harness.name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const harness of harnesses) {
        const started = performance.now();
        for (let index = 0; index < runsPerRound; index++) await harness.runOnce();
        perStep.get(harness.name)?.push((performance.now() - started) / (runsPerRound * stepsPerRun));
      }
    }
    const medianOf = (name: string) => median(perStep.get(name) ?? []);
    // Each harness minus the floor of its own kind of request: streamed (SSE) or plain JSON.
    const floorStreaming = medianOf(floorStreamingHarness.name);
    const floorPlain = medianOf(floorPlainHarness.name);
    const overheads: [string, number][] = [
      [ponderPlain.name, medianOf(ponderPlain.name) - floorPlain],
      [ponderPlainOverAiSdk.name, medianOf(ponderPlainOverAiSdk.name) - floorPlain],
      [aiSdk.name, medianOf(aiSdk.name) - floorPlain],
      [agents.name, medianOf(agents.name) - floorPlain],
      [ponderStreaming.name, medianOf(ponderStreaming.name) - floorStreaming],
      [aiSdkStreaming.name, medianOf(aiSdkStreaming.name) - floorStreaming],
    ];
    const overheadOf = (name: string) => overheads.find(([entry]) => entry === name)?.[1] ?? Number.NaN;
    console.log(`\nHarness overhead per step (${rounds} rounds x ${runsPerRound} runs x ${stepsPerRun} steps, medians)`);
    for (const harness of harnesses) console.log(`  ${harness.name.padEnd(28)} ${formatMs(medianOf(harness.name))}/step`);
    console.log("  overhead over the floor (Ponder writes a SQLite checkpoint every step; the peers keep nothing):");
    for (const [name, value] of overheads) console.log(`    ${name.padEnd(26)} ${formatMs(value)}/step`);
    const fasterPlainPeer = Math.min(overheadOf(aiSdk.name), overheadOf(agents.name));
    console.log(
      `  ratio ponder (stream: false) / faster plain peer  ${(overheadOf(ponderPlain.name) / fasterPlainPeer).toFixed(2)} (target <= 0.5)`,
    );
    // The same ratio taken within each round, whose harnesses ran moments apart: the machine's
    // load drifts between rounds, and the medians above can come from different rounds.
    const inRound = (name: string, round: number) =>
      (perStep.get(name)?.[round] ?? Number.NaN) - (perStep.get(floorPlainHarness.name)?.[round] ?? Number.NaN);
    const roundRatios = Array.from(
      { length: rounds },
      (_, round) => inRound(ponderPlain.name, round) / Math.min(inRound(aiSdk.name, round), inRound(agents.name, round)),
    );
    console.log(
      `    per round: median ${median(roundRatios).toFixed(2)}, middle half ${percentile(roundRatios, 0.25).toFixed(2)}-${percentile(roundRatios, 0.75).toFixed(2)}`,
    );
    console.log(
      `  ratio ponder (streaming) / ai-sdk streamText      ${(overheadOf(ponderStreaming.name) / overheadOf(aiSdkStreaming.name)).toFixed(2)}`,
    );
    console.log(
      `  ponder (stream: false) over the node:http floor   ${formatMs(medianOf(ponderPlain.name) - medianOf(leanFloorPlainHarness.name))}/step (the floor ${formatMs(medianOf(leanFloorPlainHarness.name))}/step, fetch's ${formatMs(floorPlain)})`,
    );
  } finally {
    server.stop();
    await store.close();
    rmSync(home, { recursive: true, force: true });
  }
}
