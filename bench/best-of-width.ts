// Best-of-64 at full width: 64 samples of one question against a fake model (its own process)
// that serves every call at once after 300 ms, against one sample, measured in turns in this
// run. At the default concurrency (every sample at once, bounded only by the provider's
// rate-limit gate) and at 8 at once (the default before). Target: best-of-64 ≤ 1.5× one sample.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ChatCompletionsModelClient } from "../src/models/chat-completions/chat-completions-model-client.js";
import { SqliteRunStore } from "../src/store/sqlite-run-store.js";
import { bestOf } from "../src/strategies/best-of.js";
import { recordRatio } from "./ratio-summary.js";
import { median } from "./statistics.js";

const modelLatencyMs = 300;
const samples = 64;
const rounds = 3;

async function startModel(): Promise<{ baseURL: string; stop: () => void }> {
  const serverModule = new URL("../test/support/fake-openai-server.js", import.meta.url).href;
  const script = `
    import { startFakeOpenAIServer } from ${JSON.stringify(serverModule)};
    const server = await startFakeOpenAIServer(() => ({ delayMs: ${modelLatencyMs}, text: "Final answer: 42", usage: { inputTokens: 50, outputTokens: 5 } }));
    process.stdout.write(server.baseURL + "\\n");
    process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const baseURL = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`fake model exited with ${code}`)));
  });
  return { baseURL: baseURL.trim(), stop: () => child.kill("SIGTERM") };
}

export async function benchBestOfWidth(): Promise<void> {
  const model = await startModel();
  const home = mkdtempSync(join(tmpdir(), "ponder-bench-best-of-"));
  const store = new SqliteRunStore(join(home, "ponder.db"));
  try {
    const client = new ChatCompletionsModelClient({ id: "openai:fake-model", baseURL: model.baseURL, apiKey: "bench", api: "openai-chat" });
    const timed = async (count: number, concurrency?: number) => {
      const started = performance.now();
      const result = await bestOf("What is 6 * 7?", {
        model: client,
        store,
        home,
        env: {},
        tools: [],
        samples: count,
        equivalence: "exact",
        ...(concurrency === undefined ? {} : { concurrency }),
      });
      if (result.samples.answered !== count) throw new Error(`${result.samples.answered} of ${count} samples answered`);
      return (performance.now() - started) / 1000;
    };
    await timed(8);
    const times = { one: [] as number[], wide: [] as number[], eight: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      times.one.push(await timed(1));
      times.wide.push(await timed(samples));
      times.eight.push(await timed(samples, 8));
    }
    const one = median(times.one);
    process.stdout.write(
      `\n# Best-of-${samples}, fake model serving every call at once after ${modelLatencyMs} ms (median of ${rounds} rounds, in turns)\n`,
    );
    process.stdout.write(`  one sample                        ${one.toFixed(2)} s\n`);
    process.stdout.write(
      `  best-of-${samples}, default concurrency  ${median(times.wide).toFixed(2)} s  ${(median(times.wide) / one).toFixed(2)}× one sample (target ≤ 1.5×)\n`,
    );
    process.stdout.write(
      `  best-of-${samples}, 8 at once (before)   ${median(times.eight).toFixed(2)} s  ${(median(times.eight) / one).toFixed(2)}× one sample\n`,
    );
    recordRatio(`best-of-${samples} (default concurrency) / one sample`, median(times.wide) / one, "≤ 1.5×");
    recordRatio(`best-of-${samples} (8 at once, the old default) / one sample`, median(times.eight) / one);
  } finally {
    model.stop();
    await store.close();
    rmSync(home, { recursive: true, force: true });
  }
}
