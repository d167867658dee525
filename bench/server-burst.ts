// A burst through `ponder serve`: 500 chat completions sent at once, through Ponder and straight
// to the fake model (each server in its own process, the model answering at once), in turns in
// this run; each request's latency, p50 and p99. The direct burst is the floor: what the model
// and the client cost on this machine. Target: through Ponder, p50 ≤ 2.5× the direct p50. With
// PONDER_BENCH_BASELINE (baseline-build.ts) the baseline's server takes its turns too.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { builds } from "./baseline-build.js";
import { recordRatio } from "./ratio-summary.js";
import { formatMs, median, percentile } from "./statistics.js";

const burst = 500;
const rounds = 4;

const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

function post(url: string, body: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", authorization: "Bearer bench", "content-length": Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          if (response.statusCode !== 200) reject(new Error(`${url}: HTTP ${response.statusCode}: ${Buffer.concat(chunks).toString()}`));
          else resolve(performance.now() - started);
        });
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

async function firstMatch(child: ChildProcess, stream: "stdout" | "stderr", pattern: RegExp, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    createInterface({ input: child[stream] as NodeJS.ReadableStream }).on("line", (line) => {
      const match = pattern.exec(line);
      if (match) resolve(match[1] as string);
    });
    child.once("exit", (code) => reject(new Error(`${name} exited with ${code}`)));
  });
}

export async function benchServerBurst(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), "ponder-bench-burst-"));
  const model = spawn(process.execPath, [new URL("./fake-server-process.js", import.meta.url).pathname, "answer"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const children: ChildProcess[] = [model];
  try {
    const modelURL = await firstMatch(model, "stdout", /^(\S+)$/, "the fake model");
    model.stdin?.write("forget\n");
    const messages = [{ role: "user", content: "Say done." }];
    const targets: { name: string; url: string; body: string }[] = [
      { name: "straight to the model", url: `${modelURL}/chat/completions`, body: JSON.stringify({ model: "gpt-4o-mini", messages }) },
    ];
    for (const build of builds()) {
      const buildHome = mkdtempSync(join(home, "build-"));
      const ponder = spawn(process.execPath, [build.cli, "serve", "--port", "0"], {
        stdio: ["ignore", "ignore", "pipe"],
        env: {
          ...process.env,
          PONDER_HOME: buildHome,
          OPENAI_API_KEY: "bench",
          OPENAI_BASE_URL: modelURL,
          PONDER_OPENAI_API: "chat",
          PONDER_MODEL: "openai:gpt-4o-mini",
        },
      });
      children.push(ponder);
      const url = await firstMatch(ponder, "stderr", /serving on (\S+)\/v1/, "ponder serve");
      targets.push({
        name: `through ponder serve, ${build.name}`,
        url: `${url}/v1/chat/completions`,
        body: JSON.stringify({ model: "ponder", messages }),
      });
    }
    const fire = (target: { url: string; body: string }) => Promise.all(Array.from({ length: burst }, () => post(target.url, target.body)));
    // Warm-up: V8's optimisations, the connections.
    for (let warm = 0; warm < 2; warm++) for (const target of targets) await fire(target);
    const times = targets.map(() => [] as number[]);
    for (let round = 0; round < rounds; round++) {
      for (const [index, target] of targets.entries()) (times[index] as number[]).push(...(await fire(target)));
    }
    const direct = times[0] as number[];
    process.stdout.write(`\n# A burst of ${burst} chat completions at once (${rounds} rounds in turns, fake model at zero latency)\n`);
    for (const [index, target] of targets.entries()) {
      const latencies = times[index] as number[];
      const p50 = median(latencies) / median(direct);
      const p99 = percentile(latencies, 0.99) / percentile(direct, 0.99);
      process.stdout.write(
        `  ${target.name.padEnd(36)} p50 ${formatMs(median(latencies))}  p99 ${formatMs(percentile(latencies, 0.99))}${index === 0 ? "" : `  p50 ${p50.toFixed(2)}× (target ≤ 2.5×), p99 ${p99.toFixed(2)}× the direct`}\n`,
      );
      if (index === 0) continue;
      recordRatio(`burst of ${burst} ${target.name}: p50 / direct p50`, p50, "≤ 2.5×");
      recordRatio(`burst of ${burst} ${target.name}: p99 / direct p99`, p99);
    }
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 300));
    rmSync(home, { recursive: true, force: true });
  }
}
