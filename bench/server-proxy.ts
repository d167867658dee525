// Proxy overhead of `POST /v1/chat/completions` on `ponder serve`: the same chat request sent to
// the fake model server directly and through Ponder (which makes it a run: stored, one model
// turn, answered). Both servers run in their own processes; requests are sequential, so the
// difference of the medians is what one request pays for going through Ponder.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { formatMs, median, percentile } from "./statistics.js";

const warmup = 50;
const requests = 400;

async function firstLine(child: ChildProcess, stream: "stdout" | "stderr", pattern: RegExp): Promise<string> {
  const source = child[stream];
  if (!source) throw new Error(`the child has no ${stream}`);
  return new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: source });
    lines.on("line", (line) => {
      const match = pattern.exec(line);
      if (match) resolve(match[1] as string);
    });
    child.once("exit", (code) => reject(new Error(`${stream === "stdout" ? "fake model server" : "ponder serve"} exited with ${code}`)));
  });
}

async function timeRequests(url: string, body: string): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < warmup + requests; index++) {
    const started = performance.now();
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer bench" }, body });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}: ${await response.text()}`);
    await response.json();
    if (index >= warmup) times.push(performance.now() - started);
  }
  return times;
}

export async function benchServerProxy(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), "ponder-bench-serve-"));
  const model = spawn(process.execPath, [new URL("./fake-server-process.js", import.meta.url).pathname, "answer"], { stdio: ["ignore", "pipe", "inherit"] });
  let ponder: ChildProcess | undefined;
  try {
    const modelURL = await firstLine(model, "stdout", /^(\S+)$/);
    ponder = spawn(process.execPath, [new URL("../src/cli/main.js", import.meta.url).pathname, "serve", "--port", "0"], {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, PONDER_HOME: home, OPENAI_API_KEY: "bench", OPENAI_BASE_URL: modelURL, PONDER_OPENAI_API: "chat", PONDER_MODEL: "openai:gpt-4o-mini" },
    });
    const ponderURL = await firstLine(ponder, "stderr", /serving on (\S+)\/v1/);
    const body = JSON.stringify({ model: "ponder", messages: [{ role: "user", content: "Say done." }] });
    const direct = await timeRequests(`${modelURL}/chat/completions`, JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Say done." }] }));
    const through = await timeRequests(`${ponderURL}/v1/chat/completions`, body);
    const overhead = median(through) - median(direct);
    process.stdout.write(`\n# /v1/chat/completions proxy overhead (${requests} sequential requests, fake model at zero latency)\n`);
    process.stdout.write(`direct to the model   p50 ${formatMs(median(direct))}  p90 ${formatMs(percentile(direct, 0.9))}\n`);
    process.stdout.write(`through ponder serve  p50 ${formatMs(median(through))}  p90 ${formatMs(percentile(through, 0.9))}\n`);
    process.stdout.write(`overhead p50 ${formatMs(overhead)} (target ≤ 1 ms); through/direct ${(median(through) / median(direct)).toFixed(2)}×\n`);
  } finally {
    ponder?.kill("SIGTERM");
    model.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 500));
    rmSync(home, { recursive: true, force: true });
  }
}
