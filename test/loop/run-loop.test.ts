import { test } from "node:test";
import assert from "node:assert/strict";
import type { RunEvent } from "../../src/core/events.js";
import type { FunctionCallOutputItem, Item } from "../../src/core/items.js";
import { startRun, resumeRun } from "../../src/library/start-run.js";
import { ScriptedModel } from "../../src/models/scripted-model.js";
import type { ScriptedTurn } from "../../src/models/scripted-script.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { temporaryHome } from "../support/temporary-home.js";
import { testTools } from "../support/test-tools.js";
import { join } from "node:path";

async function runScript(turns: ScriptedTurn[], options: Parameters<typeof startRun>[1] = {}) {
  const home = temporaryHome();
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  const { tools, executed, aborted } = testTools();
  const model = new ScriptedModel(turns);
  const events: RunEvent[] = [];
  const handle = await startRun("question", {
    model,
    tools,
    store,
    home: home.path,
    env: {},
    onEvent: (event) => events.push(event),
    ...options,
  });
  const record = await handle.result;
  const items = (await store.listItems(record.id)).map((stored) => stored.item);
  return {
    record,
    items,
    executed,
    aborted,
    model,
    events,
    store,
    home,
    cleanup: async () => {
      await store.close();
      home.remove();
    },
  };
}

const outputs = (items: Item[]) => items.filter((item): item is FunctionCallOutputItem => item.type === "function_call_output");

test("a multi-step run with parallel tool calls ends with the answer and a full log", async () => {
  const run = await runScript([
    { reasoning: "Add first.", toolCalls: [{ name: "add", arguments: { a: 2, b: 3 } }] },
    {
      toolCalls: [
        { name: "wait", arguments: { ms: 300 } },
        { name: "wait", arguments: { ms: 300 } },
      ],
    },
    { text: "The answer is 5." },
  ]);
  try {
    assert.equal(run.record.status, "completed");
    assert.equal(run.record.result?.answer, "The answer is 5.");
    assert.equal(run.record.result?.stopReason, "answered");
    assert.equal(run.record.usage.steps, 3);
    assert.equal(run.record.usage.toolCalls, 3);
    assert.deepEqual(
      run.items.map((item) => item.type),
      [
        "message",
        "reasoning",
        "function_call",
        "function_call_output",
        "function_call",
        "function_call",
        "function_call_output",
        "function_call_output",
        "message",
      ],
    );
    assert.equal(outputs(run.items)[0]?.output, "5");
    // Both waits started before either ended: they ran in parallel.
    const waits = run.executed.filter((entry) => entry.startsWith("wait"));
    assert.deepEqual(
      waits.map((entry) => entry.split(":")[2]),
      ["start", "start", "end", "end"],
    );
    // The model saw the tool result on its second turn.
    const second = run.model.requests[1]?.items ?? [];
    assert.ok(second.some((item) => item.type === "function_call_output" && item.output === "5"));
    const types = new Set(run.events.map((event) => event.type));
    for (const type of [
      "run-started",
      "step-started",
      "tool-call-started",
      "tool-call-finished",
      "item-added",
      "usage-updated",
      "run-finished",
    ]) {
      assert.ok(types.has(type as RunEvent["type"]), `event ${type}`);
    }
  } finally {
    await run.cleanup();
  }
});

test("malformed JSON, unknown tools, bad arguments and tool errors go back to the model, which repairs them", async () => {
  const run = await runScript([
    {
      toolCalls: [
        { name: "add", arguments: '{"a": 2, "b":' },
        { name: "multiply", arguments: "{}" },
      ],
    },
    {
      toolCalls: [
        { name: "add", arguments: { a: "two", b: 3 } },
        { name: "fail", arguments: {} },
      ],
    },
    { toolCalls: [{ name: "add", arguments: { a: 2, b: 3 } }] },
    { text: "5" },
  ]);
  try {
    assert.equal(run.record.status, "completed");
    assert.equal(run.record.result?.answer, "5");
    const kinds = outputs(run.items).map((output) => output.error_kind ?? "ok");
    assert.deepEqual(kinds, ["invalid_arguments", "unknown_tool", "invalid_arguments", "tool_error", "ok"]);
    const texts = outputs(run.items).map((output) => String(output.output));
    assert.match(texts[0] ?? "", /not valid JSON/);
    assert.match(texts[1] ?? "", /no tool named "multiply".*add/);
    assert.match(texts[2] ?? "", /invalid arguments for "add"[\s\S]*a/);
    assert.match(texts[3] ?? "", /does not exist/);
    assert.deepEqual(run.executed, [run.executed.find((entry) => entry.startsWith("add:"))], "only the valid call ran");
  } finally {
    await run.cleanup();
  }
});

test("repeated invalid calls end in a forced, tool-free final answer", async () => {
  const bad = { toolCalls: [{ name: "add", arguments: "not json" }] };
  const run = await runScript([bad, bad, bad, bad, { text: "I could not call the tool; my best answer is 5." }]);
  try {
    assert.equal(run.record.status, "completed");
    assert.match(run.record.result?.budgetExhausted ?? "", /invalid tool-call turns/);
    assert.equal(run.model.requests.at(-1)?.toolChoice, "none");
    assert.match(run.record.result?.answer ?? "", /best answer is 5/);
  } finally {
    await run.cleanup();
  }
});

test("the step budget ends with a final answer turn, not a crash", async () => {
  const call = { toolCalls: [{ name: "add", arguments: { a: 1, b: 1 } }] };
  const run = await runScript([call, call, { text: "Final: 2" }], { budget: { maxSteps: 3 } });
  try {
    assert.equal(run.record.status, "completed");
    assert.equal(run.record.usage.steps, 3);
    assert.match(run.record.result?.budgetExhausted ?? "", /step limit/);
    assert.equal(run.record.result?.answer, "Final: 2");
    const finalPrompt = run.model.requests[2]?.items.at(-1);
    assert.ok(finalPrompt?.type === "message" && /Do not call any tools/.test(JSON.stringify(finalPrompt.content)));
  } finally {
    await run.cleanup();
  }
});

test("a deadline hit during a long tool call stops it and forces the final answer in time", async () => {
  const started = Date.now();
  const run = await runScript(
    [{ text: "Let me wait.", toolCalls: [{ name: "wait", arguments: { ms: 20_000 } }] }, { text: "Out of time; best guess: 42." }],
    { budget: { timeoutMs: 3000 } },
  );
  try {
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 15_000, `the 20 s tool call was cut short (${elapsed} ms)`);
    assert.equal(run.record.status, "completed");
    assert.equal(run.record.result?.budgetExhausted, "deadline");
    assert.equal(run.record.result?.answer, "Out of time; best guess: 42.");
    assert.equal(run.aborted.length, 1, "the tool saw its signal abort");
    assert.equal(outputs(run.items)[0]?.error_kind, "cancelled");
  } finally {
    await run.cleanup();
  }
});

test("cancel mid-tool stops the tool and the run promptly", async () => {
  const home = temporaryHome();
  const { tools, aborted, executed } = testTools();
  const handle = await startRun("question", {
    model: new ScriptedModel([{ toolCalls: [{ name: "wait", arguments: { ms: 30_000 } }] }, { text: "never" }]),
    tools,
    home: home.path,
    env: {},
  });
  try {
    while (!executed.some((entry) => entry.endsWith(":start"))) await new Promise((resolve) => setTimeout(resolve, 5));
    const cancelledAt = Date.now();
    handle.cancel();
    const record = await handle.result;
    assert.ok(Date.now() - cancelledAt < 15_000, "the 30 s tool call did not run to its end");
    assert.equal(record.status, "cancelled");
    assert.equal(aborted.length, 1);
  } finally {
    home.remove();
  }
});

test("a rate limit with Retry-After is waited out and the run goes on", async () => {
  const started = Date.now();
  const run = await runScript([{ error: { status: 429, retryAfterSeconds: 1 } }, { text: "done" }]);
  try {
    assert.equal(run.record.status, "completed");
    const retry = run.events.find((event) => event.type === "retry-scheduled");
    assert.equal(retry?.type === "retry-scheduled" ? retry.delayMs : undefined, 1000);
    assert.ok(Date.now() - started >= 1000);
  } finally {
    await run.cleanup();
  }
});

test("a failed run is kept and resumes once the problem is fixed", async () => {
  const run = await runScript([
    { toolCalls: [{ name: "add", arguments: { a: 1, b: 2 } }] },
    { error: { status: 401, message: "invalid api key" } },
  ]);
  try {
    assert.equal(run.record.status, "failed");
    assert.match(run.record.error?.message ?? "", /401.*invalid api key/);
    const { tools, executed } = testTools();
    const resumed = await resumeRun(run.record.id, {
      model: new ScriptedModel([{ text: "3" }]),
      tools,
      store: run.store,
      home: run.home.path,
      env: {},
    });
    const record = await resumed.result;
    assert.equal(record.status, "completed");
    assert.equal(record.result?.answer, "3");
    assert.deepEqual(executed, [], "the finished call was not run again");
  } finally {
    await run.cleanup();
  }
});
