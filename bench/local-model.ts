// The local model's speed on this machine, with the real test model (scripts/fetch-test-models.sh):
// prompt and generation tokens per second through node-llama-cpp, and the time per step of a
// 10-step tool conversation with and without reusing the kept sequence's prompt prefix
// (kept-sequences.ts). The conversation is driven against the client as the loop drives it: each
// step's prompt is the previous one plus the model's reply and a fixed tool output of ~80 tokens,
// so both variants see the same growth whatever the model writes.
import { existsSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import type { Item } from "../src/core/items.js";
import { defaultInstructions } from "../src/loop/default-instructions.js";
import { loadModel } from "../src/models/local/loaded-models.js";
import { LocalModelClient } from "../src/models/local/local-model-client.js";
import type { ModelRequest, ModelUsage, ToolDefinition } from "../src/models/model-client.js";
import { pythonTool } from "../src/tools/python/python-tool.js";
import { median } from "./statistics.js";

const modelPath = join(
  process.env.PONDER_TEST_MODELS_DIR ?? join(homedir(), ".cache", "ponder-test-models"),
  "SmolLM2-135M-Instruct.Q4_1.gguf",
);
const steps = 10;
const rounds = 3;
const python: ToolDefinition = {
  name: "python",
  description: pythonTool.description,
  inputSchema: { type: "object", properties: { code: { type: "string" } }, required: ["code"] },
};
// What a python call typically returns: a few lines of a table.
const toolOutput = [
  "   year  revenue  growth",
  ...Array.from(
    { length: 6 },
    (_, index) => `${index}  ${2019 + index}  ${(1200 + index * 137.5).toFixed(1)}  ${(0.04 + index / 100).toFixed(3)}`,
  ),
].join("\n");

export async function benchLocalModel(): Promise<void> {
  console.log("local model (SmolLM2-135M-Instruct Q4_1 through node-llama-cpp, CPU)");
  if (!existsSync(modelPath)) {
    console.log(`  skipped: ${modelPath} is missing; run scripts/fetch-test-models.sh`);
    return;
  }
  for (const threads of [1, 2]) await rawSpeed(threads);
  const withReuse: number[][] = [];
  const without: number[][] = [];
  let evaluatedWith: number[] = [];
  let evaluatedWithout: number[] = [];
  // Rounds alternate the two variants, so a slow stretch of the machine hits both.
  for (let round = 0; round < rounds; round++) {
    const reused = await toolConversation(true);
    const fresh = await toolConversation(false);
    withReuse.push(reused.milliseconds);
    without.push(fresh.milliseconds);
    evaluatedWith = reused.evaluated;
    evaluatedWithout = fresh.evaluated;
  }
  const perStep = (runs: number[][]) => Array.from({ length: steps }, (_, step) => median(runs.map((run) => run[step] ?? 0)));
  const stepsWith = perStep(withReuse);
  const stepsWithout = perStep(without);
  console.log(`  10-step tool conversation, 1 thread, median of ${rounds} rounds (ms per step; prompt tokens evaluated):`);
  console.log("    step  with reuse        without");
  for (let step = 0; step < steps; step++) {
    console.log(
      `    ${String(step + 1).padStart(4)}  ${stepsWith[step]?.toFixed(0).padStart(6)} ms ${String(evaluatedWith[step]).padStart(5)}  ${stepsWithout[step]?.toFixed(0).padStart(6)} ms ${String(evaluatedWithout[step]).padStart(5)}`,
    );
  }
  const total = (values: number[]) => values.reduce((sum, value) => sum + value, 0);
  console.log(
    `    all   ${total(stepsWith).toFixed(0).padStart(6)} ms ${String(total(evaluatedWith)).padStart(5)}  ${total(stepsWithout).toFixed(0).padStart(6)} ms ${String(total(evaluatedWithout)).padStart(5)}  (without / with: ${(total(stepsWithout) / total(stepsWith)).toFixed(2)}×)`,
  );
}

/** Prompt evaluation and generation speed on a fresh sequence. */
async function rawSpeed(threads: number): Promise<void> {
  const model = await loadModel(modelPath);
  const prompt = model.tokenize(`${defaultInstructions}\n\n${toolOutput}`.repeat(2)).slice(0, 512);
  const promptRates: number[] = [];
  const generationRates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const context = await model.createContext({ contextSize: 2048, threads });
    try {
      const sequence = context.getSequence();
      let started = performance.now();
      await sequence.evaluateWithoutGeneratingNewTokens(prompt);
      promptRates.push(prompt.length / ((performance.now() - started) / 1000));
      started = performance.now();
      let generated = 0;
      for await (const token of sequence.evaluate(prompt.slice(-1))) {
        void token;
        if (++generated >= 128) break;
      }
      generationRates.push(generated / ((performance.now() - started) / 1000));
    } finally {
      await context.dispose();
    }
  }
  console.log(
    `  ${threads} thread(s): prompt ${median(promptRates).toFixed(0)} tokens/s (${prompt.length} tokens), generation ${median(generationRates).toFixed(1)} tokens/s (128 tokens); rounds ${promptRates.map((rate) => rate.toFixed(0)).join(", ")} / ${generationRates.map((rate) => rate.toFixed(1)).join(", ")}`,
  );
}

async function toolConversation(reusePrefix: boolean): Promise<{ milliseconds: number[]; evaluated: number[] }> {
  const client = new LocalModelClient(modelPath, {
    home: join(tmpdir(), "ponder-bench-home"),
    threads: 1,
    temperature: 0.8,
    seed: 11,
    maxOutputTokens: 48,
    reusePrefix,
  });
  const items: Item[] = [
    {
      type: "message",
      id: "question",
      role: "user",
      content: [{ type: "input_text", text: "Load the revenue table with python and tell me the average growth." }],
    },
  ];
  const milliseconds: number[] = [];
  const evaluated: number[] = [];
  for (let step = 0; step < steps; step++) {
    const request: ModelRequest = {
      instructions: defaultInstructions,
      items: [...items],
      tools: [python],
      toolChoice: "auto",
      signal: AbortSignal.timeout(120_000),
    };
    const started = performance.now();
    let usage: ModelUsage | undefined;
    for await (const part of client.stream(request)) {
      if (part.type !== "finish") continue;
      usage = part.usage;
      for (const item of part.items) items.push({ ...item, id: `item-${step}-${items.length}` } as Item);
    }
    milliseconds.push(performance.now() - started);
    evaluated.push((usage?.inputTokens ?? 0) - (usage?.cachedInputTokens ?? 0));
    const call = items.findLast((item) => item.type === "function_call");
    // Whatever the model did, the next prompt grows as a tool step's does.
    const callId =
      call?.type === "function_call" && !items.some((item) => item.type === "function_call_output" && item.call_id === call.call_id)
        ? call.call_id
        : undefined;
    if (callId) items.push({ type: "function_call_output", id: `output-${step}`, call_id: callId, output: toolOutput });
    else
      items.push({
        type: "message",
        id: `nudge-${step}`,
        role: "user",
        content: [{ type: "input_text", text: `[tool result] python:\n${toolOutput}` }],
      });
  }
  return { milliseconds, evaluated };
}
