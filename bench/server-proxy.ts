// Proxy overhead of `POST /v1/chat/completions` on `ponder serve`: the same chat request sent to
// the fake model server directly and through Ponder (which makes it a run: stored, one model
// turn, answered). Every server runs in its own process; requests are sequential, so the
// difference of the medians is what one request pays for going through Ponder. A bare Node.js
// proxy (bare-proxy-process.ts) is measured alongside: the part of the overhead any proxy pays
// here (two more loopback round trips), which on a VM with slow syscalls is most of a millisecond.
// The targets take turns request by request, so the machine's drift falls on all of them alike,
// after a warm-up long enough for V8 to finish optimising the server's code: with 300 warm-up
// requests its compiler threads were still busy (0.45 ms of CPU per request), after 3,000 they
// were idle. A server answers millions of requests; its steady state is what a client sees.
// Ponder's request to the model is not the client's: it carries the system prompt and the
// tools' schemas (~16 KB), which the model must read. A fourth target sends exactly that request
// to the model directly, so the model's longer read is shown apart from the proxy's own work.
//
// Two clients send the requests. `fetch` (undici, which the official `openai` package uses) keeps
// working for ~0.3 ms after its request has left (promises, web streams); with the client, the
// proxy and the model on this machine's two cores, that work competes with the proxy and the
// model for a core, which a deployment (client, Ponder and model on different machines) never
// sees. A lean client (node:http with a kept-alive connection, as load generators such as wrk or
// autocannon are lean) leaves the cores to the servers measured: its figure is the proxy's own.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { Agent, request } from "node:http";
import { join } from "node:path";
import { firstMatch, lineReader } from "./child-lines.js";
import { formatMs, median, percentile } from "./statistics.js";

const warmup = 3000;
const requests = 1000;
const roundRequests = 250;

type ClientName = "fetch" | "node:http";
type Target = { url: string; body: string; times: Record<ClientName, number[]> };
const clients: ClientName[] = ["node:http", "fetch"];

const leanAgent = new Agent({ keepAlive: true });

/** One request with a client; its time from sending to the parsed answer. */
async function timeOne(target: Target, client: ClientName): Promise<number> {
  const started = performance.now();
  const text = client === "fetch" ? await fetchText(target) : await leanText(target);
  JSON.parse(text);
  return performance.now() - started;
}

async function fetchText(target: Target): Promise<string> {
  const response = await fetch(target.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer bench" },
    body: target.body,
  });
  if (!response.ok) throw new Error(`${target.url}: HTTP ${response.status}: ${await response.text()}`);
  return response.text();
}

function leanText(target: Target): Promise<string> {
  return new Promise((resolve, reject) => {
    const headers = { "content-type": "application/json", authorization: "Bearer bench", "content-length": Buffer.byteLength(target.body) };
    const outgoing = request(target.url, { method: "POST", agent: leanAgent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if (response.statusCode === 200) resolve(text);
        else reject(new Error(`${target.url}: HTTP ${response.statusCode}: ${text}`));
      });
    });
    outgoing.on("error", reject);
    outgoing.end(target.body);
  });
}

// Targets take turns request by request; the clients take turns in stretches of requests, since
// fetch leaves work behind (stream and promise cleanup) that would fall on the lean client's next request.
async function timeInTurns(targets: Target[]): Promise<void> {
  for (let stretch = 0; stretch < (warmup + requests) / roundRequests; stretch++) {
    for (const client of clients) {
      for (let index = 0; index < roundRequests; index++) {
        for (const target of targets) {
          const time = await timeOne(target, client);
          if (stretch * roundRequests >= warmup) target.times[client].push(time);
        }
      }
    }
  }
}

const newTarget = (url: string, body: string): Target => ({ url, body, times: { fetch: [], "node:http": [] } });

export async function benchServerProxy(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), "ponder-bench-serve-"));
  const model = spawn(process.execPath, [new URL("./fake-server-process.js", import.meta.url).pathname, "answer"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const children: ChildProcess[] = [model];
  try {
    const modelLine = lineReader("the fake model server", model);
    const modelURL = await modelLine();
    const ponder = spawn(process.execPath, [new URL("../src/cli/main.js", import.meta.url).pathname, "serve", "--port", "0"], {
      stdio: ["ignore", "ignore", "pipe"],
      env: {
        ...process.env,
        PONDER_HOME: home,
        OPENAI_API_KEY: "bench",
        OPENAI_BASE_URL: modelURL,
        PONDER_OPENAI_API: "chat",
        PONDER_MODEL: "openai:gpt-4o-mini",
      },
    });
    const bare = spawn(process.execPath, [new URL("./bare-proxy-process.js", import.meta.url).pathname, modelURL], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(ponder, bare);
    const ponderURL = await firstMatch("ponder serve", ponder, "stderr", /serving on (\S+)\/v1/);
    const bareURL = await firstMatch("the bare proxy", bare, "stdout", /^(\S+)$/);
    const messages = [{ role: "user", content: "Say done." }];
    const direct = newTarget(`${modelURL}/chat/completions`, JSON.stringify({ model: "gpt-4o-mini", messages }));
    const bareProxy = newTarget(`${bareURL}/chat/completions`, JSON.stringify({ model: "gpt-4o-mini", messages }));
    const through = newTarget(`${ponderURL}/v1/chat/completions`, JSON.stringify({ model: "ponder", messages }));
    // One request through Ponder, then the model server reports what Ponder sent it.
    await timeOne(through, "fetch");
    model.stdin?.write("\n");
    const [sent] = JSON.parse(await modelLine()) as { url: string; body: string }[];
    if (!sent) throw new Error("the model server saw no request from Ponder");
    model.stdin?.write("forget\n");
    const directLikePonder = newTarget(sent.url, sent.body);
    await timeInTurns([direct, directLikePonder, bareProxy, through]);
    process.stdout.write(
      `\n# /v1/chat/completions proxy overhead (${requests} sequential requests each, in turns after ${warmup} each to warm up, fake model at zero latency)\n`,
    );
    for (const client of clients) report(client, { direct, directLikePonder, bareProxy, through }, sent.body.length);
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 500));
    rmSync(home, { recursive: true, force: true });
  }
}

function report(
  client: ClientName,
  targets: Record<"direct" | "directLikePonder" | "bareProxy" | "through", Target>,
  ponderRequestBytes: number,
): void {
  const { direct, directLikePonder, bareProxy, through } = targets;
  const p50 = (target: Target) => median(target.times[client]);
  const overhead = p50(through) - p50(direct);
  const hops = p50(bareProxy) - p50(direct);
  const longerPrompt = p50(directLikePonder) - p50(direct);
  process.stdout.write(`with the ${client} client${client === "fetch" ? " (its own work competes for the cores)" : ""}:\n`);
  for (const [name, target] of [
    ["direct to the model             ", direct],
    ["direct, with Ponder's request   ", directLikePonder],
    ["bare Node.js proxy              ", bareProxy],
    ["through ponder serve            ", through],
  ] as const) {
    process.stdout.write(`  ${name}  p50 ${formatMs(p50(target))}  p90 ${formatMs(percentile(target.times[client], 0.9))}\n`);
  }
  process.stdout.write(
    `  overhead p50 ${formatMs(overhead)}${client === "node:http" ? " (target ≤ 1 ms)" : ""}; through/direct ${(p50(through) / p50(direct)).toFixed(2)}×\n`,
  );
  process.stdout.write(
    `    of which: two more loopback hops (any proxy: the bare one) ${formatMs(hops)}; the model reading Ponder's ${(ponderRequestBytes / 1024).toFixed(1)} KB request instead of ${(direct.body.length / 1024).toFixed(1)} KB ${formatMs(longerPrompt)}; Ponder's own work ${formatMs(overhead - hops - longerPrompt)}\n`,
  );
  // The VM's speed drifts over minutes; the overhead of each stretch of the run shows how much.
  const rounds = Array.from({ length: requests / roundRequests }, (_, round) => {
    const slice = (target: Target) => target.times[client].slice(round * roundRequests, (round + 1) * roundRequests);
    return median(slice(through)) - median(slice(direct));
  });
  process.stdout.write(`    per ${roundRequests} requests: ${rounds.map((value) => value.toFixed(2)).join(", ")} ms\n`);
}
