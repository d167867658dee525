// Proxy overhead of `POST /v1/chat/completions` on `ponder serve`: the same chat request sent to
// the fake model server directly and through Ponder (which makes it a run: stored, one model
// turn, answered). Every server runs in its own process; requests are sequential, so the
// difference of the medians is what one request pays for going through Ponder. A bare Node.js
// proxy (bare-proxy-process.ts) is measured alongside: the part of the overhead any proxy pays
// here (two more loopback round trips), which on a VM with slow syscalls is most of a millisecond.
// The three targets take turns request by request, after a warm-up, so the machine's drift and
// the client's own warming fall on all of them alike.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { formatMs, median, percentile } from "./statistics.js";

const warmup = 300;
const requests = 1000;

async function firstLine(name: string, child: ChildProcess, stream: "stdout" | "stderr", pattern: RegExp): Promise<string> {
  const source = child[stream];
  if (!source) throw new Error(`the child has no ${stream}`);
  return new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: source });
    lines.on("line", (line) => {
      const match = pattern.exec(line);
      if (match) resolve(match[1] as string);
    });
    child.once("exit", (code) => reject(new Error(`${name} exited with ${code}`)));
  });
}

type Target = { url: string; body: string; times: number[] };

async function timeOne(target: Target): Promise<number> {
  const started = performance.now();
  const response = await fetch(target.url, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer bench" }, body: target.body });
  if (!response.ok) throw new Error(`${target.url}: HTTP ${response.status}: ${await response.text()}`);
  await response.json();
  return performance.now() - started;
}

async function timeInTurns(targets: Target[]): Promise<void> {
  for (let index = 0; index < warmup + requests; index++) {
    for (const target of targets) {
      const time = await timeOne(target);
      if (index >= warmup) target.times.push(time);
    }
  }
}

export async function benchServerProxy(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), "ponder-bench-serve-"));
  const model = spawn(process.execPath, [new URL("./fake-server-process.js", import.meta.url).pathname, "answer"], { stdio: ["ignore", "pipe", "inherit"] });
  const children: ChildProcess[] = [model];
  try {
    const modelURL = await firstLine("the fake model server", model, "stdout", /^(\S+)$/);
    const ponder = spawn(process.execPath, [new URL("../src/cli/main.js", import.meta.url).pathname, "serve", "--port", "0"], {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, PONDER_HOME: home, OPENAI_API_KEY: "bench", OPENAI_BASE_URL: modelURL, PONDER_OPENAI_API: "chat", PONDER_MODEL: "openai:gpt-4o-mini" },
    });
    const bare = spawn(process.execPath, [new URL("./bare-proxy-process.js", import.meta.url).pathname, modelURL], { stdio: ["ignore", "pipe", "inherit"] });
    children.push(ponder, bare);
    const ponderURL = await firstLine("ponder serve", ponder, "stderr", /serving on (\S+)\/v1/);
    const bareURL = await firstLine("the bare proxy", bare, "stdout", /^(\S+)$/);
    const messages = [{ role: "user", content: "Say done." }];
    const direct: Target = { url: `${modelURL}/chat/completions`, body: JSON.stringify({ model: "gpt-4o-mini", messages }), times: [] };
    const bareProxy: Target = { url: `${bareURL}/chat/completions`, body: JSON.stringify({ model: "gpt-4o-mini", messages }), times: [] };
    const through: Target = { url: `${ponderURL}/v1/chat/completions`, body: JSON.stringify({ model: "ponder", messages }), times: [] };
    await timeInTurns([direct, bareProxy, through]);
    const overhead = median(through.times) - median(direct.times);
    const bareOverhead = median(bareProxy.times) - median(direct.times);
    process.stdout.write(`\n# /v1/chat/completions proxy overhead (${requests} sequential requests each, in turns, fake model at zero latency)\n`);
    for (const [name, target] of [["direct to the model ", direct], ["bare Node.js proxy  ", bareProxy], ["through ponder serve", through]] as const) {
      process.stdout.write(`${name}  p50 ${formatMs(median(target.times))}  p90 ${formatMs(percentile(target.times, 0.9))}\n`);
    }
    process.stdout.write(`overhead p50 ${formatMs(overhead)} (target ≤ 1 ms); through/direct ${(median(through.times) / median(direct.times)).toFixed(2)}×\n`);
    process.stdout.write(`  of which any proxy pays ${formatMs(bareOverhead)} (the bare proxy); Ponder's own work ${formatMs(overhead - bareOverhead)}\n`);
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 500));
    rmSync(home, { recursive: true, force: true });
  }
}
