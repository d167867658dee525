// A burst through `ponder serve`: 500 chat completions sent at once, through Ponder and straight
// to the fake model (each server in its own process, the model answering at once), in turns in
// this run; each request's latency, p50 and p99. The direct burst is the floor: what the model
// and the client cost on this machine. Target: through Ponder, p50 ≤ 2.5× the direct p50. Two
// more floors take their turns: the model sent Ponder's own request (its system prompt and tools'
// schemas, which the model must read), and a bare Node.js proxy (bare-proxy-process.ts) sending
// it: what any proxy of this request pays here, with no run, no store, no validation. With
// PONDER_BENCH_BASELINE (baseline-build.ts) the baseline's server takes its turns too. With
// PONDER_BENCH_CPU_PROF=<folder>, each `ponder serve` writes a V8 CPU profile there when it stops
// (read it with bench/cpu-profile-summary.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builds } from "./baseline-build.js";
import { recordRatio } from "./ratio-summary.js";
import { firstMatch, lineReader } from "./child-lines.js";
import { formatMs, median, percentile } from "./statistics.js";

const burst = 500;
const rounds = 4;

// Idle connections are closed before the servers' keep-alive timeout (5 s) would close them under a
// request being sent: each target's connections wait idle while the others take their turns.
const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, timeout: 4_000 });

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

/** The server between the client and the model, if any: its CPU time is counted apart. */
type Target = { name: string; url: string; body: string; floor?: boolean; proxy?: ChildProcess };
type CpuTimes = { client: number; model: number; proxy: number };

/** CPU time (user + system, ms) a process has used so far, from /proc (0 where there is none). */
function processCpuMs(child: ChildProcess | undefined): number {
  if (child?.pid === undefined) return 0;
  try {
    // The fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

function clientCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export async function benchServerBurst(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), "ponder-bench-burst-"));
  const model = spawn(process.execPath, [new URL("./fake-server-process.js", import.meta.url).pathname, "answer"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const children: ChildProcess[] = [model];
  try {
    const modelLine = lineReader("the fake model", model);
    const modelURL = await modelLine();
    const messages = [{ role: "user", content: "Say done." }];
    const direct: Target = {
      name: "straight to the model",
      url: `${modelURL}/chat/completions`,
      body: JSON.stringify({ model: "gpt-4o-mini", messages }),
    };
    const throughPonder: Target[] = [];
    for (const build of builds()) {
      const buildHome = mkdtempSync(join(home, "build-"));
      const profile = process.env.PONDER_BENCH_CPU_PROF;
      const profiling = profile
        ? [
            "--cpu-prof",
            "--cpu-prof-interval=100",
            `--cpu-prof-dir=${profile}`,
            `--cpu-prof-name=${build.name.replace(/ /g, "-")}.cpuprofile`,
          ]
        : [];
      const ponder = spawn(process.execPath, [...profiling, build.cli, "serve", "--port", "0"], {
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
      const url = await firstMatch("ponder serve", ponder, "stderr", /serving on (\S+)\/v1/);
      throughPonder.push({
        name: `through ponder serve, ${build.name}`,
        url: `${url}/v1/chat/completions`,
        body: JSON.stringify({ model: "ponder", messages }),
        proxy: ponder,
      });
    }
    // One request through this build, then the model reports what Ponder sent it: the floors send the same.
    await post((throughPonder.at(-1) as Target).url, (throughPonder.at(-1) as Target).body);
    model.stdin?.write("\n");
    const [sent] = JSON.parse(await modelLine()) as { url: string; body: string }[];
    if (!sent) throw new Error("the model saw no request from Ponder");
    model.stdin?.write("forget\n");
    const sentFile = join(home, "ponder-request.json");
    writeFileSync(sentFile, sent.body);
    const bare = spawn(process.execPath, [new URL("./bare-proxy-process.js", import.meta.url).pathname, modelURL, sentFile], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(bare);
    const bareURL = await firstMatch("the bare proxy", bare, "stdout", /^(\S+)$/);
    const targets: Target[] = [
      direct,
      { name: "straight, with Ponder's request", url: sent.url, body: sent.body, floor: true },
      { name: "through a bare Node.js proxy", url: `${bareURL}/chat/completions`, body: direct.body, floor: true, proxy: bare },
      ...throughPonder,
    ];
    const fire = (target: Target) => Promise.all(Array.from({ length: burst }, () => post(target.url, target.body)));
    // Warm-up: V8's optimisations, the connections.
    for (let warm = 0; warm < 2; warm++) for (const target of targets) await fire(target);
    const times = targets.map(() => [] as number[]);
    const cpu = targets.map((): CpuTimes => ({ client: 0, model: 0, proxy: 0 }));
    for (let round = 0; round < rounds; round++) {
      for (const [index, target] of targets.entries()) {
        const before = { client: clientCpuMs(), model: processCpuMs(model), proxy: processCpuMs(target.proxy) };
        (times[index] as number[]).push(...(await fire(target)));
        const spent = cpu[index] as CpuTimes;
        spent.client += clientCpuMs() - before.client;
        spent.model += processCpuMs(model) - before.model;
        spent.proxy += processCpuMs(target.proxy) - before.proxy;
      }
    }
    report(targets, times, cpu, sent.body.length);
  } finally {
    // Each server stops gracefully (a CPU profile is written then); a stuck one is not waited for past 10 s.
    const stopped = children.map((child) => (child.exitCode === null ? once(child, "exit") : Promise.resolve()));
    for (const child of children) child.kill("SIGTERM");
    await Promise.race([Promise.all(stopped), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    rmSync(home, { recursive: true, force: true });
  }
}

function report(targets: Target[], times: number[][], cpu: CpuTimes[], ponderRequestBytes: number): void {
  const direct = times[0] as number[];
  const bareIndex = targets.findIndex((target) => target.name.includes("bare"));
  const bare = times[bareIndex] as number[];
  process.stdout.write(
    `\n# A burst of ${burst} chat completions at once (${rounds} rounds in turns, fake model at zero latency; Ponder's request to it is ${(ponderRequestBytes / 1024).toFixed(1)} KB)\n`,
  );
  for (const [index, target] of targets.entries()) {
    const latencies = times[index] as number[];
    const p50 = median(latencies) / median(direct);
    const p99 = percentile(latencies, 0.99) / percentile(direct, 0.99);
    const ratios =
      index === 0
        ? ""
        : `  p50 ${p50.toFixed(2)}×${target.floor ? "" : " (target ≤ 2.5×)"}, p99 ${p99.toFixed(2)}× the direct` +
          (target.floor ? "" : `; p50 ${(median(latencies) / median(bare)).toFixed(2)}× the bare proxy`);
    process.stdout.write(
      `  ${target.name.padEnd(36)} p50 ${formatMs(median(latencies))}  p99 ${formatMs(percentile(latencies, 0.99))}${ratios}\n`,
    );
    if (index === 0) continue;
    recordRatio(`burst of ${burst} ${target.name}: p50 / direct p50`, p50, target.floor ? undefined : "≤ 2.5×");
    recordRatio(`burst of ${burst} ${target.name}: p99 / direct p99`, p99);
  }
  // CPU time, unlike latency, does not grow with the machine's load: what each process spent per request.
  process.stdout.write(`CPU per request (ms; 2 cores bound a burst to at least half their sum × ${burst}):\n`);
  for (const [index, target] of targets.entries()) {
    const spent = cpu[index] as CpuTimes;
    const per = (ms: number) => (ms / (rounds * burst)).toFixed(3);
    process.stdout.write(
      `  ${target.name.padEnd(36)} client ${per(spent.client)}  model ${per(spent.model)}${target.proxy ? `  proxy ${per(spent.proxy)}` : ""}\n`,
    );
  }
}
