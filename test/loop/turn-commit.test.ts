// When a turn's tool calls may start before the turn's checkpoint is committed (side-effect-free
// tools only), and how the outputs of tools that answer at once join that checkpoint.
import { test } from "node:test";
import Database from "better-sqlite3";
import assert from "node:assert/strict";
import { join } from "node:path";
import { z } from "zod";
import type { Item } from "../../src/core/items.js";
import { startRun } from "../../src/library/start-run.js";
import { ScriptedModel } from "../../src/models/scripted-model.js";
import type { ScriptedTurn } from "../../src/models/scripted-script.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { defineTool } from "../../src/tools/tool.js";
import { temporaryHome } from "../support/temporary-home.js";

type Gate = { committedCalls: Set<string>; appends: Item["type"][][]; inFlight: (string[] | undefined)[]; failTurnCommit: boolean };

/** A SQLite store whose turn checkpoints (those holding calls) commit 50 ms late, or fail. */
function slowTurnStore(path: string, gate: Gate): SqliteRunStore {
  const store = new SqliteRunStore(path);
  const appendItems = store.appendItems.bind(store);
  store.appendItems = async (runId, step, items, ...rest) => {
    gate.appends.push(items.map((item) => item.type));
    gate.inFlight.push(rest[0]?.callsInFlight);
    const calls = items.flatMap((item) => (item.type === "function_call" ? [item.call_id] : []));
    if (calls.length === 0) return appendItems(runId, step, items, ...rest);
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (gate.failTurnCommit) throw new Error("SQLITE_FULL: database or disk is full");
    const stored = await appendItems(runId, step, items, ...rest);
    for (const call of calls) gate.committedCalls.add(call);
    return stored;
  };
  return store;
}

async function run(turns: ScriptedTurn[], options: { failTurnCommit?: boolean } = {}) {
  const home = temporaryHome();
  const gate: Gate = { committedCalls: new Set(), appends: [], inFlight: [], failTurnCommit: options.failTurnCommit ?? false };
  const store = slowTurnStore(join(home.path, "ponder.db"), gate);
  const startedBeforeCommit: Record<string, boolean> = {};
  const recordStart = (name: string) => async (_input: unknown, context: { callId: string }) => {
    startedBeforeCommit[name] = !gate.committedCalls.has(context.callId);
    return { content: `${name} done` };
  };
  const tools = [
    defineTool({ name: "look", description: "Reads.", parameters: z.object({}), effects: "read", run: recordStart("look") }),
    defineTool({ name: "compute", description: "Pure.", parameters: z.object({}), effects: "none", run: recordStart("compute") }),
    defineTool({ name: "save", description: "Writes.", parameters: z.object({}), effects: "write", run: recordStart("save") }),
  ];
  const model = new ScriptedModel(turns);
  const handle = await startRun("question", { model, tools, store, home: home.path, env: {}, policy: { effects: { write: "allow" } } });
  const record = await handle.result;
  const items = (await store.listItems(record.id)).map((stored) => stored.item);
  return {
    record,
    items,
    gate,
    startedBeforeCommit,
    model,
    cleanup: async () => {
      await store.close();
      home.remove();
    },
  };
}

test("calls without effects start before their turn is committed; a call that writes waits for the commit, which also marks it in flight", async () => {
  const result = await run([
    {
      toolCalls: [
        { name: "look", arguments: {} },
        { name: "compute", arguments: {} },
      ],
    },
    { toolCalls: [{ name: "save", arguments: {} }] },
    {
      toolCalls: [
        { name: "look", arguments: {} },
        { name: "save", arguments: {} },
      ],
    },
    { text: "Done." },
  ]);
  try {
    assert.equal(result.record.status, "completed");
    assert.equal(result.startedBeforeCommit.compute, true, "a pure call need not wait");
    assert.equal(result.startedBeforeCommit.save, false, "a write waits for its turn's checkpoint");
    // In the third turn `look` shares a turn with `save`: each call decides on its own.
    assert.equal(result.startedBeforeCommit.look, true);
    // The in-flight mark of a save costs no commit of its own: it joins its turn's.
    assert.deepEqual(result.gate.appends, [
      ["message"],
      ["function_call", "function_call", "function_call_output", "function_call_output"],
      ["function_call"],
      ["function_call_output"],
      ["function_call", "function_call", "function_call_output"],
      ["function_call_output"],
      ["message"],
    ]);
    const saveCalls = result.items.flatMap((item) => (item.type === "function_call" && item.name === "save" ? [item.call_id] : []));
    assert.deepEqual(
      result.gate.inFlight,
      [undefined, undefined, [saveCalls[0]], undefined, [saveCalls[1]], undefined, undefined],
      "a save is in flight from its turn's commit until its output's",
    );
    assert.equal(result.record.callsInFlight, undefined);
    assert.deepEqual(
      result.items.map((item) => item.type),
      [
        "message",
        "function_call",
        "function_call",
        "function_call_output",
        "function_call_output",
        "function_call",
        "function_call_output",
        "function_call",
        "function_call",
        "function_call_output",
        "function_call_output",
        "message",
      ],
    );
  } finally {
    await result.cleanup();
  }
});

test("outputs of tools that answer at once are committed with their turn: one store write per step", async () => {
  const result = await run([
    { toolCalls: [{ name: "compute", arguments: {} }] },
    { toolCalls: [{ name: "compute", arguments: {} }] },
    { text: "Done." },
  ]);
  try {
    assert.equal(result.record.status, "completed");
    assert.equal(result.record.usage.toolCalls, 2);
    assert.deepEqual(result.gate.appends, [
      ["message"],
      ["function_call", "function_call_output"],
      ["function_call", "function_call_output"],
      ["message"],
    ]);
  } finally {
    await result.cleanup();
  }
});

test("a turn checkpoint that fails stops the run before the next turn, although its calls went ahead", async () => {
  const result = await run([{ toolCalls: [{ name: "compute", arguments: {} }] }, { text: "Never asked." }], { failTurnCommit: true });
  try {
    assert.equal(result.record.status, "failed");
    assert.match(result.record.error?.message ?? "", /disk is full/);
    assert.equal(result.model.requests.length, 1, "no second model turn");
    assert.deepEqual(
      result.items.map((item) => item.type),
      ["message"],
      "nothing after the failed checkpoint was stored",
    );
  } finally {
    await result.cleanup();
  }
});

test("a call that writes never starts when its turn's checkpoint fails, and the failed run does not list it in flight", async () => {
  const result = await run([{ toolCalls: [{ name: "save", arguments: {} }] }, { text: "Never asked." }], { failTurnCommit: true });
  try {
    assert.equal(result.record.status, "failed");
    assert.equal(result.startedBeforeCommit.save, undefined, "save never ran");
    assert.equal(result.record.callsInFlight, undefined);
    assert.equal(result.model.requests.length, 1);
  } finally {
    await result.cleanup();
  }
});

test("a new run's first model request waits until its record is committed, and nothing about it is announced before; if that write fails, the model is never asked", async () => {
  const home = temporaryHome();
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  // The creation is delayed before it reaches the store, so the store must not be trusted to
  // apply the loop's first write after it: as with a store that does not write in call order.
  Object.defineProperty(store, "writesInCallOrder", { value: false });
  let creation = { fail: false, committed: false, askedBeforeCommit: false, announcedBeforeCommit: false };
  let asked = 0;
  const createRun = store.createRun.bind(store);
  store.createRun = async (record) => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (creation.fail) throw new Error("SQLITE_FULL: database or disk is full");
    await createRun(record);
    creation.committed = true;
  };
  const model = new ScriptedModel([{ text: "Stored." }, { text: "Never asked." }]);
  const stream = model.stream.bind(model);
  model.stream = async function* (request) {
    asked++;
    creation.askedBeforeCommit ||= !creation.committed;
    yield* stream(request);
  };
  const events: string[] = [];
  const onEvent = (event: { type: string }) => {
    events.push(event.type);
    creation.announcedBeforeCommit ||= !creation.committed;
  };
  try {
    const handle = await startRun("question", { model, store, tools: [], home: home.path, env: {}, onEvent });
    const record = await handle.result;
    assert.equal(record.status, "completed");
    assert.equal(creation.askedBeforeCommit, false, "the model was asked only once the record was committed");
    assert.equal(creation.announcedBeforeCommit, false, "no event went out before the record was committed");
    assert.equal(events[0], "run-started");
    assert.deepEqual(
      (await store.listItems(record.id)).map((stored) => stored.item.type),
      ["message", "message"],
    );

    creation = { fail: true, committed: false, askedBeforeCommit: false, announcedBeforeCommit: false };
    events.length = 0;
    await assert.rejects(startRun("question", { model, store, tools: [], home: home.path, env: {}, onEvent }), /disk is full/);
    assert.equal(asked, 1, "the run that was never stored never asked the model");
    assert.deepEqual(events, [], "and announced nothing");
    assert.equal((await store.listRuns({})).length, 1, "the failed run left nothing behind");
  } finally {
    await store.close();
    home.remove();
  }
});

test("with SQLite a new run's first checkpoint commits with its creation; if the creation fails, so does the checkpoint", async () => {
  const home = temporaryHome();
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  const creation = { committed: false, breakRecord: false };
  const firstWrites: boolean[] = [];
  const createRun = store.createRun.bind(store);
  store.createRun = (record) => {
    // A record the database refuses inside the commit (status is NOT NULL).
    const written = createRun(creation.breakRecord ? { ...record, status: null as never } : record);
    return written.then(() => void (creation.committed = true));
  };
  const appendItems = store.appendItems.bind(store);
  store.appendItems = (runId, ...rest) => {
    firstWrites.push(creation.committed);
    return appendItems(runId, ...rest);
  };
  const model = new ScriptedModel([{ text: "Stored." }, { text: "Never stored." }]);
  try {
    const handle = await startRun("question", { model, store, tools: [], home: home.path, env: {} });
    const record = await handle.result;
    assert.equal(record.status, "completed");
    assert.deepEqual(firstWrites, [false, true], "the first checkpoint was sent before the creation committed, the answer's after");
    assert.deepEqual(
      (await store.listItems(record.id)).map((stored) => stored.item.type),
      ["message", "message"],
    );

    creation.committed = false;
    creation.breakRecord = true;
    await assert.rejects(
      startRun("question", { model, store, tools: [], home: home.path, env: {} }),
      /NOT NULL constraint failed: runs.status/,
    );
    const runs = await store.listRuns({});
    assert.deepEqual(
      runs.map((run) => run.id),
      [record.id],
      "the failed run left no record",
    );
    const reader = new Database(join(home.path, "ponder.db"), { readonly: true });
    const orphans = reader.prepare<[string], { count: number }>("SELECT COUNT(*) AS count FROM items WHERE run_id != ?").get(record.id);
    reader.close();
    assert.equal(orphans?.count, 0, "and no items: its first checkpoint failed with it");
  } finally {
    await store.close();
    home.remove();
  }
});
