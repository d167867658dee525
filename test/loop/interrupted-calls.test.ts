// A call whose process stopped while it ran: what the log held at that moment, and what resuming
// from it does. The crash is taken as a copy of the store's durable state made while the tools
// run; test/security/repeated-calls.test.ts kills real processes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { RunEvent } from "../../src/core/events.js";
import type { FunctionCallOutputItem } from "../../src/core/items.js";
import type { RunRecord } from "../../src/core/run.js";
import type { StoredItem } from "../../src/store/run-store.js";
import { resumeRun, startRun } from "../../src/library/start-run.js";
import { ScriptedModel } from "../../src/models/scripted-model.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { defineTool, type ToolEffect } from "../../src/tools/tool.js";
import { temporaryHome } from "../support/temporary-home.js";

/** Tools that note each run; `hold` makes them wait until the run is cancelled. */
function sideEffectTools(hold: boolean) {
  const executed: string[] = [];
  const started = new Set<string>();
  let everyoneStarted: () => void = () => undefined;
  const allStarted = new Promise<void>((resolve) => (everyoneStarted = resolve));
  const tool = (name: string, effects: ToolEffect, idempotent: boolean) =>
    defineTool({
      name,
      description: `${name} (${effects}${idempotent ? ", idempotent" : ""}).`,
      parameters: z.object({}),
      effects,
      idempotent,
      async run(_args, context) {
        executed.push(name);
        started.add(name);
        if (started.size === 3) everyoneStarted();
        if (hold) await new Promise((resolve) => context.signal.addEventListener("abort", resolve, { once: true }));
        return { content: `${name} done` };
      },
    });
  return {
    tools: [tool("send_email", "external", false), tool("save_file", "write", false), tool("set_flag", "external", true)],
    executed,
    allStarted,
  };
}

test("calls in flight when the process stopped: non-repeatable ones are reported as of unknown outcome, never run again; a repeatable one runs again", async () => {
  const home = temporaryHome();
  const store = new SqliteRunStore(":memory:");
  const copy = new SqliteRunStore(":memory:");
  try {
    const first = sideEffectTools(true);
    const model = new ScriptedModel([
      {
        toolCalls: [
          { name: "send_email", arguments: {}, id: "call_email" },
          { name: "save_file", arguments: {}, id: "call_save" },
          { name: "set_flag", arguments: {}, id: "call_flag" },
        ],
      },
    ]);
    const handle = await startRun("do three things", {
      model,
      tools: first.tools,
      store,
      home: home.path,
      env: {},
      policy: { effects: { external: "allow", write: "allow" } },
    });
    await first.allStarted;
    // What survives a kill -9 at this moment: the committed record and items.
    const record = await store.getRun(handle.id);
    const items = await store.listItems(handle.id);
    handle.cancel();
    await handle.result;
    assert.ok(record);
    assert.deepEqual(
      record.callsInFlight?.sort(),
      ["call_email", "call_save"],
      "the non-repeatable calls were in flight, durably, once they ran",
    );
    assert.ok(!items.some((stored) => stored.item.type === "function_call_output"));

    await copy.createRun({ ...record, owner: undefined });
    for (const stored of items) await copy.appendItems(record.id, stored.step, [stored.item]);
    const second = sideEffectTools(false);
    const events: RunEvent[] = [];
    const answering = new ScriptedModel([{ text: "Checked." }]);
    const resumed = await resumeRun(record.id, {
      model: answering,
      tools: second.tools,
      store: copy,
      home: home.path,
      env: {},
      policy: { effects: { external: "allow", write: "allow" } },
      onEvent: (event) => events.push(event),
    });
    const final = await resumed.result;
    assert.equal(final.status, "completed");
    assert.deepEqual(second.executed, ["set_flag"], "only the call declared repeatable ran again");
    assert.equal(final.callsInFlight, undefined);
    const outputs = new Map(
      (await copy.listItems(record.id)).flatMap(({ item }) =>
        item.type === "function_call_output" ? [[item.call_id, item] as const] : [],
      ),
    );
    for (const callId of ["call_email", "call_save"]) {
      assert.equal(outputs.get(callId)?.error_kind, "unknown_outcome");
      assert.match(
        String(outputs.get(callId)?.output),
        /stopped .* before the call's result was recorded[\s\S]*effects are unknown[\s\S]*not run again[\s\S]*Check/,
      );
    }
    assert.equal(outputs.get("call_flag")?.output, "set_flag done");
    const told = answering.requests[0]?.items.filter(
      (item): item is FunctionCallOutputItem => item.type === "function_call_output" && item.error_kind === "unknown_outcome",
    );
    assert.equal(told?.length, 2, "the model reads both unknown outcomes");
    const finished = events.flatMap((event) => (event.type === "tool-call-finished" ? [event.output.error_kind ?? "ok"] : []));
    assert.deepEqual(finished.sort(), ["ok", "unknown_outcome", "unknown_outcome"], "the live view hears of them");
  } finally {
    await store.close();
    await copy.close();
    home.remove();
  }
});

test("a call whose process stopped before it started is simply run on resume", async () => {
  const home = temporaryHome();
  const store = new SqliteRunStore(":memory:");
  try {
    // The log of a run stopped right after its turn was committed: a call, nothing in flight.
    const answered = await (
      await startRun("send it", { model: new ScriptedModel([{ text: "Sure." }]), tools: [], store, home: home.path, env: {} })
    ).result;
    const record = {
      ...answered,
      id: "run_stopped_before_call",
      status: "running" as const,
      result: undefined,
      finishedAt: undefined,
      owner: undefined,
    };
    await store.createRun(record);
    await store.appendItems(record.id, 0, [
      { type: "message", id: "msg_1", role: "user", content: [{ type: "input_text", text: "send it" }] },
    ]);
    await store.appendItems(record.id, 1, [
      { type: "function_call", id: "fc_1", call_id: "call_email", name: "send_email", arguments: "{}" },
    ]);
    const tools = sideEffectTools(false);
    const resumed = await resumeRun(record.id, {
      model: new ScriptedModel([{ text: "Sent." }]),
      tools: tools.tools,
      store,
      home: home.path,
      env: {},
      policy: { effects: { external: "allow" } },
    });
    assert.equal((await resumed.result).status, "completed");
    assert.deepEqual(tools.executed, ["send_email"]);
  } finally {
    await store.close();
    home.remove();
  }
});

test("a saved run stopped mid-call (fixture v1-interrupted-mid-call) resumes: the email is not sent again, the model is told", async () => {
  const path = fileURLToPath(new URL("../../../test/fixtures/runs/v1-interrupted-mid-call.json", import.meta.url));
  const fixture = JSON.parse(readFileSync(path, "utf8")) as { record: RunRecord; items: StoredItem[] };
  const home = temporaryHome();
  const store = new SqliteRunStore(":memory:");
  try {
    await store.createRun(fixture.record);
    for (const stored of fixture.items) await store.appendItems(fixture.record.id, stored.step, [stored.item]);
    const tools = sideEffectTools(false);
    const resumed = await resumeRun(fixture.record.id, {
      model: new ScriptedModel([{ text: "I will check first." }]),
      tools: tools.tools,
      store,
      home: home.path,
      env: {},
      policy: { effects: { external: "allow" } },
    });
    const record = await resumed.result;
    assert.equal(record.status, "completed");
    assert.deepEqual(tools.executed, []);
    const outputs = (await store.listItems(record.id)).flatMap(({ item }) =>
      item.type === "function_call_output" ? [item.error_kind] : [],
    );
    assert.deepEqual(outputs, ["unknown_outcome"]);
  } finally {
    await store.close();
    home.remove();
  }
});
