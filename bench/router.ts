// `--effort auto` against fixed efforts on scripted questions: tokens, model turns and answers
// right, over the fake model server (real HTTP). The scripted model stands in for a reasoning
// model: it thinks more tokens at higher effort (reasoning.effort in the request), needs two
// tool calls for a tool question, and on a hard question is right more often at higher effort.
// Auto's totals include its classification runs. The figures show the trade the router makes,
// not any real model's quality. Run: `node dist/bench/router.js` (after the build).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { efforts, type Effort } from "../src/core/effort.js";
import { ask } from "../src/library/ask.js";
import { SqliteRunStore } from "../src/store/sqlite-run-store.js";
import { askAuto } from "../src/strategies/router/ask-auto.js";
import type { RequestClass } from "../src/strategies/router/request-class.js";
import { defineTool } from "../src/tools/tool.js";
import { startFakeOpenAIServer, type RequestBody } from "../test/support/fake-openai-server.js";

type Question = { text: string; kind: RequestClass; expected: string };

const questions: Question[] = [
  ...["2 + 2", "the capital of France", "7 * 6", "the opposite of cold"].map((topic, index) => ({
    text: `[trivial ${index}] What is ${topic}?`,
    kind: "trivial" as const,
    expected: "ok",
  })),
  ...[1, 2, 3].map((index) => ({
    text: `[needs_tools ${index}] Add up the numbers in the table with the add tool.`,
    kind: "needs_tools" as const,
    expected: "ok",
  })),
  ...Array.from({ length: 12 }, (_, index) => ({
    text: `[hard ${index + 1}] Which of the five boxes holds the key?`,
    kind: "hard" as const,
    expected: "box 3",
  })),
];

/** Thinking tokens per turn at each effort, and how often a hard question's one attempt is right. */
const thinking: Record<Effort, { tokens: number; hardRight: number }> = {
  minimal: { tokens: 40, hardRight: 0.3 },
  low: { tokens: 300, hardRight: 0.45 },
  medium: { tokens: 1_200, hardRight: 0.6 },
  high: { tokens: 4_000, hardRight: 0.7 },
};

/** A deterministic draw per request, so a run of the bench is repeatable. */
function draw(seed: number): number {
  const x = Math.sin(seed * 12.9898) * 43_758.5453;
  return x - Math.floor(x);
}

function scriptedModel() {
  let requestIndex = 0;
  return (body: RequestBody) => {
    const text = JSON.stringify(body);
    const effort = (body.reasoning?.effort === "minimal" ? "minimal" : (body.reasoning?.effort ?? "medium")) as Effort;
    const usage = (output: number) => ({
      inputTokens: Math.ceil(text.length / 4),
      outputTokens: output + thinking[effort].tokens,
      reasoningTokens: thinking[effort].tokens,
    });
    const kind = /\[(trivial|needs_tools|hard) \d+\]/.exec(text)?.[1] as RequestClass;
    if (text.includes("first pass of a reasoning harness"))
      return { text: JSON.stringify({ class: kind, reason: `scripted: ${kind}` }), usage: usage(20) };
    if (kind === "needs_tools" && (text.match(/function_call_output/g) ?? []).length < 2) {
      return { toolCalls: [{ name: "add", arguments: '{"a": 1, "b": 2}' }], usage: usage(15) };
    }
    if (kind === "hard")
      return {
        text: draw(++requestIndex) < thinking[effort].hardRight ? "Final answer: box 3" : `Final answer: box ${1 + (requestIndex % 2) * 4}`,
        usage: usage(30),
      };
    return { text: "Final answer: ok", usage: usage(10) };
  };
}

const add = defineTool({
  name: "add",
  description: "Adds two numbers.",
  parameters: z.object({ a: z.number(), b: z.number() }),
  effects: "none",
  run: async ({ a, b }) => ({ content: String(a + b) }),
});

type Totals = { tokens: number; steps: number; right: number };
type ModeTotals = Record<RequestClass | "all", Totals>;

async function runMode(mode: Effort | "auto", home: string, env: Record<string, string>): Promise<ModeTotals> {
  const store = new SqliteRunStore(join(home, `${mode}.db`));
  const empty = (): Totals => ({ tokens: 0, steps: 0, right: 0 });
  const totals: ModeTotals = { trivial: empty(), needs_tools: empty(), hard: empty(), all: empty() };
  try {
    for (const question of questions) {
      const options = { model: "openai:gpt-5-mini", env, home, store, tools: [add] };
      let answer: string;
      const usages = [];
      if (mode === "auto") {
        const result = await askAuto(question.text, options);
        answer = result.answer;
        usages.push(result.usage, ...(await Promise.all(result.routing.runIds.map(async (id) => (await store.getRun(id))?.usage))));
      } else {
        const result = await ask(question.text, { ...options, effort: mode });
        answer = result.answer;
        usages.push(result.usage);
      }
      for (const bucket of [totals[question.kind], totals.all]) {
        for (const usage of usages) {
          bucket.tokens += (usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0);
          bucket.steps += usage?.steps ?? 0;
        }
        if (answer.includes(question.expected)) bucket.right++;
      }
    }
  } finally {
    await store.close();
  }
  return totals;
}

export async function benchRouter(): Promise<void> {
  const modes: (Effort | "auto")[] = [...efforts, "auto"];
  const results: [string, ModeTotals][] = [];
  for (const mode of modes) {
    // A fresh server per mode: every mode's draws come from the same sequence, from its start.
    const server = await startFakeOpenAIServer(scriptedModel());
    const home = mkdtempSync(join(tmpdir(), "ponder-bench-router-"));
    try {
      results.push([mode, await runMode(mode, home, { OPENAI_API_KEY: "bench", OPENAI_BASE_URL: server.baseURL })]);
    } finally {
      await server.close();
      rmSync(home, { recursive: true, force: true });
    }
  }
  const count = (kind: RequestClass) => questions.filter((question) => question.kind === kind).length;
  console.log(
    `router: ${questions.length} scripted questions (${count("trivial")} trivial, ${count("needs_tools")} needing tools, ${count("hard")} hard); auto's figures include its classification runs`,
  );
  console.log("mode     |  tokens  turns  right | trivial tokens | tools tokens | hard tokens  right");
  for (const [mode, totals] of results) {
    const cell = (value: number, width: number) => String(value).padStart(width);
    console.log(
      `${mode.padEnd(8)} | ${cell(totals.all.tokens, 7)} ${cell(totals.all.steps, 6)} ${cell(totals.all.right, 4)}/${questions.length} | ${cell(totals.trivial.tokens, 14)} | ${cell(totals.needs_tools.tokens, 12)} | ${cell(totals.hard.tokens, 11)} ${cell(totals.hard.right, 4)}/${count("hard")}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRouter();
