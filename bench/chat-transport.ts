// What the Chat Completions client's transport costs a user: the time to the first token of an
// answer, the wall time of a 10-step tool run, and the CLI's startup (`ponder --version`, and a
// one-question `ask`), against fake model servers in their own processes (zero model latency).
// Peers measured in the same run give ratios that hold across machines: Ponder over the AI SDK's
// chat provider (undici's fetch) for the runs, a bare `node -e ""` for the CLI. To compare two
// builds in one run, point PONDER_BENCH_BASELINE_CLI at the other build's dist/src/cli/main.js.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createOpenAI } from "@ai-sdk/openai";
import { z } from "zod";
import { startRun } from "../src/library/start-run.js";
import { AiSdkModelClient } from "../src/models/ai-sdk-model-client.js";
import { ChatCompletionsModelClient } from "../src/models/chat-completions/chat-completions-model-client.js";
import type { ModelClient } from "../src/models/model-client.js";
import { SqliteRunStore } from "../src/store/sqlite-run-store.js";
import { defineTool } from "../src/tools/tool.js";
import { recordRatio } from "./ratio-summary.js";
import { formatMs, median, percentile } from "./statistics.js";

const rounds = 30;
const cliRounds = 10;
const toolTurns = 9;
const cliPath = new URL("../src/cli/main.js", import.meta.url).pathname;

async function startServerProcess(mode: string): Promise<{ baseURL: string; stop: () => void }> {
  const child = spawn(process.execPath, [new URL("./fake-server-process.js", import.meta.url).pathname, mode], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const firstLine = await Promise.race([
    new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve)),
    new Promise<never>((_resolve, reject) => child.once("exit", (code) => reject(new Error(`fake server exited with ${code}`)))),
  ]);
  return { baseURL: firstLine.trim(), stop: () => child.kill("SIGTERM") };
}

/** Milliseconds from start to exit of `node <args>`, which must exit with 0. */
function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.once("exit", (code) =>
      code === 0 ? resolve(performance.now() - started) : reject(new Error(`node ${args.join(" ")} exited with ${code}: ${stderr}`)),
    ),
  );
}

const echo = defineTool({
  name: "echo",
  description: "Echoes text.",
  parameters: z.object({ text: z.string() }),
  effects: "none",
  run: async ({ text }) => ({ content: text }),
});

type Sample = { firstTokenMs: number; wallMs: number };

export async function benchChatTransport(): Promise<void> {
  const answering = await startServerProcess("answer");
  const toolUsing = await startServerProcess(`tool-turns=${toolTurns}`);
  const home = mkdtempSync(join(tmpdir(), "ponder-bench-transport-"));
  const store = new SqliteRunStore(join(home, "ponder.db"));
  try {
    const ponderClient = (baseURL: string) =>
      new ChatCompletionsModelClient({ id: "compat:fake-model", baseURL, apiKey: "bench", api: "openai-compatible" });
    const aiSdkClient = (baseURL: string) =>
      new AiSdkModelClient({
        model: createOpenAI({ baseURL, apiKey: "bench" }).chat("fake-model"),
        api: "openai-compatible",
        id: "compat:fake-model",
      });
    const clients: { name: string; answering: ModelClient; toolUsing: ModelClient }[] = [
      { name: "ponder's chat client", answering: ponderClient(answering.baseURL), toolUsing: ponderClient(toolUsing.baseURL) },
      { name: "ai-sdk chat provider (peer)", answering: aiSdkClient(answering.baseURL), toolUsing: aiSdkClient(toolUsing.baseURL) },
    ];
    const runOnce = async (model: ModelClient, steps: number): Promise<Sample> => {
      const started = performance.now();
      let firstTokenMs = Number.NaN;
      const handle = await startRun("Say hello with the echo tool.", {
        model,
        tools: [echo],
        store,
        home,
        env: {},
        budget: { maxSteps: 20 },
        onEvent: (event) => {
          if (event.type === "text-delta" && Number.isNaN(firstTokenMs)) firstTokenMs = performance.now() - started;
        },
      });
      const record = await handle.result;
      if (record.usage.steps !== steps) throw new Error(`the run took ${record.usage.steps} steps: ${record.error?.message ?? ""}`);
      return { firstTokenMs, wallMs: performance.now() - started };
    };
    const firstToken = new Map<string, number[]>(clients.map((client) => [client.name, []]));
    const tenSteps = new Map<string, number[]>(clients.map((client) => [client.name, []]));
    for (const client of clients) for (let index = 0; index < 5; index++) await runOnce(client.toolUsing, toolTurns + 1);
    // Interleaved, so that a busy moment of the machine falls on every client alike.
    for (let round = 0; round < rounds; round++) {
      for (const client of clients) {
        firstToken.get(client.name)?.push((await runOnce(client.answering, 1)).firstTokenMs);
        tenSteps.get(client.name)?.push((await runOnce(client.toolUsing, toolTurns + 1)).wallMs);
      }
    }
    console.log(`\nChat Completions transport (${rounds} rounds, medians, p90 in brackets)`);
    const [ours, peer] = clients.map((client) => client.name) as [string, string];
    for (const [label, samples] of [
      ["time to first token, one-step answer", firstToken],
      [`wall time, ${toolTurns + 1}-step tool run`, tenSteps],
    ] as const) {
      for (const name of [ours, peer]) {
        const values = samples.get(name) ?? [];
        console.log(`  ${label.padEnd(38)} ${name.padEnd(28)} ${formatMs(median(values))} (${formatMs(percentile(values, 0.9))})`);
      }
      const ratio = median(samples.get(ours) ?? []) / median(samples.get(peer) ?? []);
      console.log(`  ${label.padEnd(38)} ratio ours / peer: ${ratio.toFixed(3)}`);
      recordRatio(`${label}: Ponder's chat client / AI SDK chat provider`, ratio);
    }

    // The CLI: each command in a fresh process, as a user runs it.
    const env = {
      ...process.env,
      PONDER_HOME: home,
      PONDER_COMPAT_BASE_URL: answering.baseURL,
      PONDER_COMPAT_API_KEY: "bench",
      PONDER_MODEL: "compat:fake-model",
    };
    const baseline = process.env.PONDER_BENCH_BASELINE_CLI;
    const commands: [string, string[]][] = [
      ["node -e '' (floor)", ["-e", ""]],
      ["ponder --version", [cliPath, "--version"]],
      ["ponder ask (one question)", [cliPath, "ask", "Say hello."]],
      ...(baseline
        ? ([
            ["baseline --version", [baseline, "--version"]],
            ["baseline ask", [baseline, "ask", "Say hello."]],
          ] as [string, string[]][])
        : []),
    ];
    for (const [, args] of commands) await timeProcess(args, env);
    const cli = new Map<string, number[]>(commands.map(([name]) => [name, []]));
    for (let round = 0; round < cliRounds; round++) for (const [name, args] of commands) cli.get(name)?.push(await timeProcess(args, env));
    console.log(`\nCLI startup (${cliRounds} rounds, medians)`);
    const floor = median(cli.get("node -e '' (floor)") ?? []);
    for (const [name] of commands) {
      const value = median(cli.get(name) ?? []);
      console.log(`  ${name.padEnd(28)} ${formatMs(value)}  (${formatMs(value - floor)} over the floor)`);
      if (name !== "node -e '' (floor)") recordRatio(`${name} / node -e ''`, value / floor);
    }
  } finally {
    await store.close();
    answering.stop();
    toolUsing.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
