// Time to first token through `ponder serve` against the model called directly: the same
// streamed answer (word pieces 4 ms apart, streaming-model-process.ts) read as Chat Completions
// chunks straight from the model, then through Ponder's /v1/chat/completions and /v1/responses
// (and a background response, whose events are also recorded in the store for resuming). The
// targets take turns request by request. A long answer is streamed as the model writes once it
// passes Ponder's hold (turn-text-hold.ts); a short one, which could still be a preamble to a
// tool call, comes when the model's turn ends: its first token is its last. A run without tools
// (`ponder.builtin_tools: false`) has nothing to hold: its figure is the plumbing's own cost.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatMs, median, percentile } from "./statistics.js";
import { recordRatio } from "./ratio-summary.js";
import { firstMatch } from "./child-lines.js";

const warmup = 10;
const requests = 40;

type Target = { name: string; url: string; body: unknown; isText: (event: Record<string, unknown>) => string | undefined };
type Timing = { first: number; total: number };

/** One streamed request: the time to its first text piece and to its end. */
async function timeOne(target: Target): Promise<Timing> {
  const started = performance.now();
  const response = await fetch(target.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer bench" },
    body: JSON.stringify(target.body),
  });
  if (!response.ok || !response.body) throw new Error(`${target.url}: HTTP ${response.status}: ${await response.text()}`);
  let first: number | undefined;
  let buffer = "";
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split("\n")
        .filter((line) => line.startsWith("data: "))
        .map((line) => line.slice(6))
        .join("");
      if (first !== undefined || data === "" || data === "[DONE]") continue;
      if (target.isText(JSON.parse(data) as Record<string, unknown>)) first = performance.now() - started;
    }
  }
  if (first === undefined) throw new Error(`${target.name}: no text came`);
  return { first, total: performance.now() - started };
}

const chatText = (event: Record<string, unknown>) =>
  (event.choices as { delta?: { content?: string } }[] | undefined)?.[0]?.delta?.content || undefined;
const responsesText = (event: Record<string, unknown>) =>
  event.type === "response.output_text.delta" ? (event.delta as string) : undefined;

export async function benchStreamingFirstToken(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), "ponder-bench-first-token-"));
  const model = spawn(process.execPath, [new URL("./streaming-model-process.js", import.meta.url).pathname], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const children: ChildProcess[] = [model];
  try {
    const modelURL = await firstMatch("the fake model", model, "stdout", /^(\S+)$/);
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
    children.push(ponder);
    const ponderURL = await firstMatch("ponder serve", ponder, "stderr", /serving on (\S+)\/v1/);
    for (const length of ["long", "short"] as const) {
      const question = length === "long" ? "Tell me about 4900, long please." : "What is it? short please";
      const messages = [{ role: "user", content: question }];
      const targets: Target[] = [
        {
          name: "model directly (chat stream)",
          url: `${modelURL}/chat/completions`,
          body: { model: "gpt-4o-mini", messages, stream: true },
          isText: chatText,
        },
        {
          name: "ponder /v1/chat/completions",
          url: `${ponderURL}/v1/chat/completions`,
          body: { model: "ponder", messages, stream: true },
          isText: chatText,
        },
        {
          name: "ponder /v1/responses",
          url: `${ponderURL}/v1/responses`,
          body: { model: "ponder", input: question, stream: true },
          isText: responsesText,
        },
        {
          name: "ponder /v1/chat/completions, no tools",
          url: `${ponderURL}/v1/chat/completions`,
          body: { model: "ponder", messages, stream: true, ponder: { builtin_tools: false } },
          isText: chatText,
        },
        {
          name: "ponder /v1/responses, background (recorded)",
          url: `${ponderURL}/v1/responses`,
          body: { model: "ponder", input: question, stream: true, background: true },
          isText: responsesText,
        },
      ];
      const timings = new Map<Target, Timing[]>(targets.map((target) => [target, []]));
      for (let round = 0; round < warmup + requests; round++) {
        for (const target of targets) {
          const timing = await timeOne(target);
          if (round >= warmup) timings.get(target)?.push(timing);
        }
      }
      process.stdout.write(
        `\n# Time to first token, ${length} answer (${requests} sequential requests each, after ${warmup} to warm up)\n`,
      );
      const direct = targets[0] as Target;
      const p50 = (target: Target, key: keyof Timing) => median((timings.get(target) ?? []).map((timing) => timing[key]));
      for (const target of targets) {
        const firsts = (timings.get(target) ?? []).map((timing) => timing.first);
        process.stdout.write(
          `  ${target.name.padEnd(44)} first token p50 ${formatMs(p50(target, "first"))} p90 ${formatMs(percentile(firsts, 0.9))}  whole answer p50 ${formatMs(p50(target, "total"))}\n`,
        );
      }
      for (const target of targets.slice(1)) {
        const added = p50(target, "first") - p50(direct, "first");
        process.stdout.write(`  ${target.name}: first token +${formatMs(added)} over the model directly\n`);
      }
      recordRatio(`first token, ${length} answer: ponder chat / model`, p50(targets[1] as Target, "first") / p50(direct, "first"));
      recordRatio(`first token, ${length} answer: ponder responses / model`, p50(targets[2] as Target, "first") / p50(direct, "first"));
      recordRatio(
        `first token, ${length} answer: ponder chat without tools / model`,
        p50(targets[3] as Target, "first") / p50(direct, "first"),
      );
      recordRatio(
        `whole ${length} answer: background (recorded) / plain responses`,
        p50(targets[4] as Target, "total") / p50(targets[2] as Target, "total"),
      );
    }
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 500));
    rmSync(home, { recursive: true, force: true });
  }
}
