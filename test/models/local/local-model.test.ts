import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { z } from "zod";
import { ModelNotConfiguredError } from "../../../src/core/errors.js";
import type { Item } from "../../../src/core/items.js";
import { startRun } from "../../../src/library/start-run.js";
import { loadModel } from "../../../src/models/local/loaded-models.js";
import { LocalModelClient } from "../../../src/models/local/local-model-client.js";
import type { ModelStreamPart } from "../../../src/models/model-client.js";
import { defineTool } from "../../../src/tools/tool.js";
import { temporaryHome } from "../../support/temporary-home.js";
import { writeTinyGguf } from "../../support/tiny-gguf.js";

// One thread: the tiny model's work per token is so small that a second thread only adds waiting.
process.env.PONDER_LOCAL_THREADS = "1";
// Greedy: the uniform model's tool test relies on the lowest-numbered token winning.
process.env.PONDER_LOCAL_TEMPERATURE = "0";
const home = temporaryHome();
const randomModel = join(home.path, "tiny-random.gguf");
const uniformModel = join(home.path, "tiny-uniform.gguf");

before(() => {
  writeTinyGguf(randomModel);
  writeTinyGguf(uniformModel, { uniformLogits: true });
});
after(() => home.remove());

const question = (text: string) => [
  { type: "message" as const, id: "question", role: "user" as const, content: [{ type: "input_text" as const, text }] },
];

async function collect(parts: AsyncIterable<ModelStreamPart>): Promise<ModelStreamPart[]> {
  const collected: ModelStreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

test("the generated GGUF loads through node-llama-cpp and tokenises text both ways", async () => {
  const model = await loadModel(randomModel);
  assert.equal(await loadModel(randomModel), model, "a model is loaded once per process");
  const tokens = model.tokenize('Hello, world! {"a": 1}');
  assert.ok(tokens.length > 0);
  assert.equal(model.detokenize(tokens), 'Hello, world! {"a": 1}');
  assert.equal(model.fileInfo.metadata.general.architecture, "llama");
});

test("a turn without tools streams text deltas that add up to the turn's message", async () => {
  const client = new LocalModelClient(randomModel, { home: home.path, threads: 1 });
  const parts = await collect(
    client.stream({
      items: question("Say something."),
      tools: [],
      toolChoice: "auto",
      maxOutputTokens: 24,
      signal: AbortSignal.timeout(30_000),
    }),
  );
  const finish = parts.at(-1);
  assert.equal(finish?.type, "finish");
  assert.ok(finish.usage.inputTokens > 0 && finish.usage.outputTokens > 0);
  const streamed = parts.flatMap((part) => (part.type === "text-delta" ? [part.delta] : [])).join("");
  assert.ok(streamed.length > 0, "random weights still produce some text");
  const message = finish.items.find((item) => item.type === "message");
  assert.equal(message?.type === "message" ? message.content.map((part) => ("text" in part ? part.text : "")).join("") : "", streamed);
});

test("a grammar-constrained tool call from the local model parses and reaches the tool in a real run", async () => {
  const picked: string[] = [];
  const pickColor = defineTool({
    name: "pick_color",
    description: "Picks a color.",
    parameters: z.object({ color: z.enum(["blue", "green", "red"]) }),
    effects: "none",
    async run({ color }) {
      picked.push(color);
      return { content: `picked ${color}` };
    },
  });
  const items: Item[] = [];
  const handle = await startRun("Pick a color.", {
    model: `local:${uniformModel}`,
    tools: [pickColor],
    home: home.path,
    env: {},
    budget: { maxSteps: 2 },
    onEvent: (event) => {
      if (event.type === "item-added") items.push(event.item);
    },
  });
  const record = await handle.result;
  assert.equal(record.status, "completed");
  assert.equal(record.spec.model, `local:${uniformModel}`);
  // Every token scores the same, so greedy sampling takes the lowest-numbered token the grammar
  // allows: the first tool, the first enum value. The point is that the call is valid JSON for the tool.
  assert.deepEqual(picked, ["blue"]);
  const call = items.find((item) => item.type === "function_call");
  assert.ok(call?.type === "function_call");
  assert.equal(call.name, "pick_color");
  assert.deepEqual(JSON.parse(call.arguments), { color: "blue" });
  const output = items.find((item) => item.type === "function_call_output");
  assert.ok(output?.type === "function_call_output" && output.error_kind === undefined);
  assert.equal(record.usage.costKnown, true);
  assert.equal(record.usage.costUsd, 0);
});

test("a missing file and an hf: model that cannot be downloaded say how to go on", async () => {
  const missing = new LocalModelClient(join(home.path, "nope.gguf"), { home: home.path });
  await assert.rejects(
    collect(missing.stream({ items: question("hi"), tools: [], toolChoice: "auto", signal: AbortSignal.timeout(30_000) })),
    (error: unknown) => {
      assert.ok(error instanceof ModelNotConfiguredError);
      assert.match(error.message, /nope\.gguf does not exist/);
      return true;
    },
  );
  const remote = new LocalModelClient("hf:Qwen/Qwen3-1.7B-GGUF:Q8_0", { home: home.path });
  await assert.rejects(
    collect(remote.stream({ items: question("hi"), tools: [], toolChoice: "auto", signal: AbortSignal.timeout(30_000) })),
    (error: unknown) => {
      assert.ok(error instanceof ModelNotConfiguredError);
      assert.match(error.message, /could not be downloaded/);
      assert.match(error.hint ?? "", /local:\/path\/to\/model\.gguf.*configure an API provider/);
      return true;
    },
  );
});
