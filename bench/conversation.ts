// What a conversation costs per turn over the model's own time: 20 follow-ups, each one tool call
// (a no-op `echo`) and an answer, against a fake model with zero latency on localhost, SQLite
// checkpoints as usual. A follow-up reads every earlier turn from the store to build its context,
// so the figure to watch is how turn 20 compares with turn 1.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { startRun, type StartRunOptions } from "../src/library/start-run.js";
import { SqliteRunStore } from "../src/store/sqlite-run-store.js";
import { defineTool } from "../src/tools/tool.js";
import { startFakeOpenAIServer } from "../test/support/fake-openai-server.js";
import { formatMs, median } from "./statistics.js";

const turns = 20;
const rounds = 5;

const echo = defineTool({
  name: "echo",
  description: "Echoes the text.",
  parameters: z.object({ text: z.string() }),
  effects: "none",
  run: async ({ text }) => ({ content: text }),
});

export async function benchConversation(): Promise<void> {
  // Each turn: the last input is a user message → call echo; a tool output → answer.
  const server = await startFakeOpenAIServer((body) => {
    const input = (body.input ?? []) as { type?: string; role?: string }[];
    return input.at(-1)?.type === "function_call_output"
      ? { text: "Done." }
      : { toolCalls: [{ name: "echo", arguments: '{"text":"hello"}' }] };
  });
  const perTurn: number[][] = Array.from({ length: turns }, () => []);
  const modelPerTurn: number[][] = Array.from({ length: turns }, () => []);
  for (let round = 0; round < rounds; round++) {
    const home = mkdtempSync(join(tmpdir(), "ponder-bench-conversation-"));
    const store = new SqliteRunStore(join(home, "ponder.db"));
    let modelMs = 0;
    const options: StartRunOptions = {
      model: "openai:gpt-4o",
      effort: "medium",
      tools: [echo],
      store,
      home,
      env: { OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL },
      onEvent: (event) => void event,
    };
    let previous: string | undefined;
    for (let turn = 0; turn < turns; turn++) {
      const requestsBefore = server.requests.length;
      const started = performance.now();
      const handle = await startRun(`Question ${turn + 1}`, { ...options, continueFrom: previous });
      const record = await handle.result;
      const elapsed = performance.now() - started;
      if (record.status !== "completed") throw new Error(`turn ${turn + 1} ${record.status}: ${record.error?.message}`);
      previous = record.id;
      modelMs = (await store.listSteps(record.id)).reduce((sum, step) => sum + step.durationMs, 0);
      perTurn[turn]?.push(elapsed);
      modelPerTurn[turn]?.push(modelMs);
      if (server.requests.length - requestsBefore !== 2) throw new Error("each turn is two model requests");
    }
    await store.close();
    rmSync(home, { recursive: true, force: true });
  }
  await server.close();
  console.log(
    `\nConversation: ${turns} turns (each a tool call and an answer), ${rounds} rounds, zero-latency fake model; median per turn`,
  );
  console.log("turn  wall      model turns  over the model's own");
  for (const turn of [1, 2, 5, 10, 15, 20]) {
    const wall = median(perTurn[turn - 1] ?? []);
    const model = median(modelPerTurn[turn - 1] ?? []);
    console.log(`${String(turn).padStart(4)}  ${formatMs(wall).padEnd(8)}  ${formatMs(model).padEnd(11)}  ${formatMs(wall - model)}`);
  }
}
