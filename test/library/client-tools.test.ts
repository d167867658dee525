import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { UnsupportedOptionError } from "../../src/core/errors.js";
import type { ClientTool } from "../../src/core/run.js";
import { resumeRun, startRun, type StartRunOptions } from "../../src/library/start-run.js";
import { ScriptedModel } from "../../src/models/scripted-model.js";
import type { ModelRequest } from "../../src/models/model-client.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { temporaryHome } from "../support/temporary-home.js";
import { testTools } from "../support/test-tools.js";

// Client tools through the library: the scripted model calls Ponder's `add` and the client's
// `lookup` in one turn; Ponder runs `add` only and hands `lookup` back.
const lookup: ClientTool = {
  name: "lookup",
  description: "Looks a code up.",
  parameters: { type: "object", properties: { name: { type: "string" } }, required: ["name"], additionalProperties: false },
};

function outputsSeen(request: ModelRequest): string[] {
  return request.items.flatMap((item) => (item.type === "function_call_output" ? [`${item.call_id}=${JSON.stringify(item.output)}`] : []));
}

async function withSetup(
  body: (context: { options: StartRunOptions; model: ScriptedModel; executed: string[]; store: SqliteRunStore }) => Promise<void>,
) {
  const home = temporaryHome();
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  const tools = testTools();
  const model = new ScriptedModel((request) => {
    const outputs = outputsSeen(request);
    if (outputs.some((output) => output.startsWith("call_lookup="))) return { text: `Done: ${outputs.join(", ")}` };
    return {
      text: "Working on it.",
      toolCalls: [
        { name: "add", arguments: { a: 2, b: 3 }, id: "call_add" },
        { name: "lookup", arguments: { name: "ada" }, id: "call_lookup" },
      ],
    };
  });
  const options: StartRunOptions = { model, tools: tools.tools.slice(0, 1), home: home.path, store, clientTools: [lookup] };
  try {
    await body({ options, model, executed: tools.executed, store });
  } finally {
    await store.close();
    home.remove();
  }
}

test("a client tool call ends the run after Ponder's own calls of the turn; the client's output continues the conversation", async () => {
  await withSetup(async ({ options, model, executed, store }) => {
    const first = await (await startRun("Add and look up.", options)).result;
    assert.equal(first.status, "completed");
    assert.equal(first.result?.stopReason, "client_tool_calls");
    assert.deepEqual(first.result?.clientToolCalls, [{ call_id: "call_lookup", name: "lookup", arguments: '{"name":"ada"}' }]);
    assert.deepEqual(executed, ["add:call_add"], "Ponder ran its own call once and never the client's");
    assert.equal(model.requests.length, 1);
    const offered = model.requests[0]?.tools.map((tool) => tool.name);
    assert.deepEqual(offered, ["add", "lookup"]);

    // A run resumed after a crash (its record still says running) hands the same calls back without asking the model again.
    await store.updateRun(first.id, { status: "running", result: undefined, finishedAt: undefined, owner: undefined });
    const resumed = await (await resumeRun(first.id, { ...options, model })).result;
    assert.equal(resumed.result?.stopReason, "client_tool_calls");
    assert.equal(model.requests.length, 1, "the model was not asked again");

    const second = await (
      await startRun("", { ...options, continueFrom: first.id, clientToolOutputs: [{ call_id: "call_lookup", output: "code-ada-7" }] })
    ).result;
    assert.equal(second.status, "completed", JSON.stringify(second.error));
    assert.equal(second.result?.stopReason, "answered");
    assert.equal(second.result?.answer, 'Done: call_add="5", call_lookup="code-ada-7"');
    assert.deepEqual(executed, ["add:call_add"]);
  });
});

test("client settings that cannot be honoured are refused before the run starts, naming the option", async () => {
  await withSetup(async ({ options }) => {
    const refused = async (text: string, extra: Partial<StartRunOptions>, option: string) => {
      await assert.rejects(startRun(text, { ...options, ...extra }), (error: unknown) => {
        assert.ok(error instanceof UnsupportedOptionError, String(error));
        assert.equal(error.option, option);
        return true;
      });
    };
    await refused("q", { clientTools: [{ ...lookup, name: "add" }] }, "clientTools.0.name");
    await refused("q", { toolChoice: { name: "missing" } }, "toolChoice");
    await refused("q", { clientToolOutputs: [{ call_id: "call_nobody", output: "x" }] }, "clientToolOutputs.0.call_id");
    await refused(
      "q",
      { answerFormat: { type: "json_schema", name: "a", schema: { type: "object", properties: { x: { type: "strin" } } } } },
      "answerFormat.schema",
    );
    const first = await (await startRun("Add and look up.", options)).result;
    await refused("", { continueFrom: first.id }, "clientToolOutputs");
    await refused("", { continueFrom: first.id, clientToolOutputs: [{ call_id: "call_add", output: "x" }] }, "clientToolOutputs.0.call_id");
  });
});
