// Many watchers of one run: a 5-turn run (4 tool calls, then the answer; the fake model, in its
// own process, answers each turn after 50 ms, streaming its text) started through `POST /v1/runs`
// on `ponder serve`, followed by 0 or 200 clients on `GET /v1/runs/{id}/events` at once. The
// figure is the run's own time (its record's createdAt to finishedAt), with 200 watchers against
// one, in turns in this run. Fanning events out must not slow the run: target ≤ 1.1×. With
// PONDER_BENCH_BASELINE (baseline-build.ts) the baseline's server is measured the same way.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builds } from "./baseline-build.js";
import { recordRatio } from "./ratio-summary.js";
import { median } from "./statistics.js";
import { firstMatch } from "./child-lines.js";

const watchers = 200;
const rounds = 5;
const modelLatencyMs = 50;

/** Follows a run's events until `done`; resolves with the number of events read. */
async function watch(url: string): Promise<number> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`);
  let text = "";
  let events = 0;
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    text += decoder.decode(chunk as Uint8Array, { stream: true });
    const blocks = text.split("\n\n");
    text = blocks.pop() ?? "";
    events += blocks.length;
    if (blocks.some((block) => block.includes("event: done"))) break;
  }
  return events;
}

export async function benchRunWatchers(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), "ponder-bench-watchers-"));
  const serverModule = new URL("../test/support/fake-openai-server.js", import.meta.url).href;
  const script = `
    import { startFakeOpenAIServer } from ${JSON.stringify(serverModule)};
    const results = (body) => (body.messages ?? body.input ?? []).filter((m) => m.role === "tool" || m.type === "function_call_output").length;
    const server = await startFakeOpenAIServer((body) => results(body) < 4
      ? { delayMs: ${modelLatencyMs}, toolCalls: [{ name: "echo", arguments: '{"text":"hello"}' }] }
      : { delayMs: ${modelLatencyMs}, text: "The answer, streamed in several words: done." });
    process.stdout.write(server.baseURL + "\\n");
    process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));`;
  const model = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const children: ChildProcess[] = [model];
  try {
    const modelURL = await firstMatch("the fake model", model, "stdout", /^(\S+)$/);
    process.stdout.write(`\n# ${watchers} watchers of one run (5 model turns of ${modelLatencyMs} ms; medians of ${rounds}, in turns)\n`);
    for (const build of builds()) {
      const ponder = spawn(process.execPath, [build.cli, "serve", "--port", "0"], {
        stdio: ["ignore", "ignore", "pipe"],
        env: {
          ...process.env,
          PONDER_HOME: mkdtempSync(join(home, "build-")),
          OPENAI_API_KEY: "bench",
          OPENAI_BASE_URL: modelURL,
          PONDER_OPENAI_API: "chat",
        },
      });
      children.push(ponder);
      const url = await firstMatch("ponder serve", ponder, "stderr", /serving on (\S+)\/v1/);
      const oneRun = async (count: number): Promise<number> => {
        const created = await fetch(`${url}/v1/runs`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ input: "Echo hello four times, then answer.", model: "openai:gpt-4o-mini", effort: "low" }),
        });
        const { id } = (await created.json()) as { id: string };
        const read = await Promise.all(Array.from({ length: count }, () => watch(`${url}/v1/runs/${id}/events`)));
        if (read.some((events) => events < 5)) throw new Error("a watcher missed the run's events");
        const run = (await (await fetch(`${url}/v1/runs/${id}`)).json()) as { status: string; created_at: string; finished_at?: string };
        if (run.status !== "completed") throw new Error(`the run ended ${run.status}`);
        return Date.parse(run.finished_at as string) - Date.parse(run.created_at);
      };
      await oneRun(1);
      await oneRun(watchers);
      const times = { one: [] as number[], many: [] as number[] };
      for (let round = 0; round < rounds; round++) {
        times.one.push(await oneRun(1));
        times.many.push(await oneRun(watchers));
      }
      const ratio = median(times.many) / median(times.one);
      process.stdout.write(
        `  ${build.name}: the run with 1 watcher ${median(times.one).toFixed(0)} ms, with ${watchers} ${median(times.many).toFixed(0)} ms: ${ratio.toFixed(2)}× (target ≤ 1.1×)\n`,
      );
      recordRatio(`${build.name}: run time with ${watchers} watchers / with 1`, ratio, "≤ 1.1×");
      ponder.kill("SIGTERM");
    }
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 300));
    rmSync(home, { recursive: true, force: true });
  }
}
