import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { FunctionCallOutputItem } from "../../src/core/items.js";
import { resumeRun, startRun } from "../../src/library/start-run.js";
import { ScriptedModel } from "../../src/models/scripted-model.js";
import { decide } from "../../src/policy/tool-policy.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { temporaryHome } from "../support/temporary-home.js";
import { testTools } from "../support/test-tools.js";

const emailTurns = () => [
  { toolCalls: [{ name: "send_email", arguments: { to: "ada@example.com" }, id: "call_email" }] },
  { text: "Done." },
];

test("policy decisions: tool names win over effects, servers can be matched whole", () => {
  assert.equal(decide({}, "python", "write"), "allow");
  assert.equal(decide({}, "send_email", "external"), "ask");
  assert.equal(decide({ effects: { external: "deny" } }, "send_email", "external"), "deny");
  assert.equal(decide({ effects: { external: "deny" }, tools: { send_email: "allow" } }, "send_email", "external"), "allow");
  assert.equal(decide({ tools: { "github__*": "deny" } }, "github__create_issue", "read"), "deny");
  assert.equal(decide({}, "github__list_issues", "read"), "ask", "MCP servers without a rule ask first");
  assert.equal(decide({ tools: { github__list_issues: "allow" } }, "github__list_issues", "read"), "allow");
  assert.equal(decide({}, "read_page", "external"), "allow", "reading a page does not ask by default");
  assert.equal(decide({ tools: { read_page: "ask" } }, "read_page", "external"), "ask");
  assert.equal(decide({ effects: { external: "deny" } }, "read_page", "external"), "deny", "an explicit effect rule wins over defaults");
});

test("a denied tool is never executed and the model is told", async () => {
  const home = temporaryHome();
  const { tools, executed } = testTools();
  const model = new ScriptedModel(emailTurns());
  try {
    const handle = await startRun("email Ada", { model, tools, home: home.path, env: {}, policy: { tools: { send_email: "deny" } } });
    const record = await handle.result;
    assert.equal(record.status, "completed");
    assert.deepEqual(executed, []);
    const output = model.requests[1]?.items.find((item): item is FunctionCallOutputItem => item.type === "function_call_output");
    assert.equal(output?.error_kind, "denied");
    assert.match(String(output?.output), /policy does not allow/);
  } finally {
    home.remove();
  }
});

test("ask without a person waits durably; approval after a restart runs the call exactly once", async () => {
  const home = temporaryHome();
  const databasePath = join(home.path, "ponder.db");
  try {
    const first = testTools();
    const handle = await startRun("email Ada", { model: new ScriptedModel(emailTurns()), tools: first.tools, home: home.path, env: {} });
    const waiting = await handle.result;
    assert.equal(waiting.status, "awaiting_approval");
    assert.deepEqual(first.executed, []);

    // A new process: a fresh store on the same file sees the request, a person approves it.
    const store = new SqliteRunStore(databasePath);
    const items = (await store.listItems(waiting.id)).map((stored) => stored.item);
    const request = items.find((item) => item.type === "approval_request");
    assert.equal(request?.type === "approval_request" ? request.call_id : undefined, "call_email");
    await store.appendItems(waiting.id, 1, [{ type: "approval_response", id: "aps_1", call_id: "call_email", approve: true }]);
    await store.close();

    const second = testTools();
    const resumed = await resumeRun(waiting.id, {
      model: new ScriptedModel([{ text: "Sent." }]),
      tools: second.tools,
      home: home.path,
      env: {},
    });
    const record = await resumed.result;
    assert.equal(record.status, "completed");
    assert.deepEqual(second.executed, ["send_email:ada@example.com"]);
    assert.equal(record.usage.toolCalls, 1);
  } finally {
    home.remove();
  }
});

test("a call declined by a person is never executed, even after resuming", async () => {
  const home = temporaryHome();
  const databasePath = join(home.path, "ponder.db");
  try {
    const first = testTools();
    const waiting = await (
      await startRun("email Ada", { model: new ScriptedModel(emailTurns()), tools: first.tools, home: home.path, env: {} })
    ).result;
    const store = new SqliteRunStore(databasePath);
    await store.appendItems(waiting.id, 1, [
      { type: "approval_response", id: "aps_1", call_id: "call_email", approve: false, reason: "not today" },
    ]);
    await store.close();
    const second = testTools();
    const model = new ScriptedModel([{ text: "I did not send it." }]);
    const record = await (await resumeRun(waiting.id, { model, tools: second.tools, home: home.path, env: {} })).result;
    assert.equal(record.status, "completed");
    assert.deepEqual(second.executed, []);
    const output = model.requests[0]?.items.find((item): item is FunctionCallOutputItem => item.type === "function_call_output");
    assert.match(String(output?.output), /declined.*not today/);
  } finally {
    home.remove();
  }
});

test("an interactive approver is asked once per call and its answer is recorded", async () => {
  const home = temporaryHome();
  const { tools, executed } = testTools();
  const asked: string[] = [];
  try {
    const handle = await startRun("email Ada", {
      model: new ScriptedModel(emailTurns()),
      tools,
      home: home.path,
      env: {},
      approver: async (call) => {
        asked.push(call.call_id);
        return true;
      },
    });
    const record = await handle.result;
    assert.equal(record.status, "completed");
    assert.deepEqual(asked, ["call_email"]);
    assert.deepEqual(executed, ["send_email:ada@example.com"]);
  } finally {
    home.remove();
  }
});
