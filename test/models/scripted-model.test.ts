import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ConfigError, ModelCallError } from "../../src/core/errors.js";
import { resolveModel } from "../../src/models/resolve-model.js";
import { ScriptedModel } from "../../src/models/scripted-model.js";
import { drain, modelRequest } from "./turn-helpers.js";

// One directory for every script file of this test file, removed at the end.
const scripts = mkdtempSync(join(tmpdir(), "ponder-script-"));
after(() => rmSync(scripts, { recursive: true, force: true }));
let scriptCount = 0;

function scriptFile(content: unknown): string {
  const path = join(scripts, `script-${scriptCount++}.json`);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

describe("ScriptedModel", () => {
  it("plays turns: streamed reasoning and text, tool calls with string or object arguments, usage", async () => {
    const model = new ScriptedModel([
      {
        reasoning: "I need the data.",
        text: "Fetching it now.",
        toolCalls: [
          { name: "fetch", arguments: { url: "https://a" } },
          { name: "fetch", arguments: '{"url": broken', id: "mine" },
        ],
        usage: { inputTokens: 100 },
      },
      { text: "Here it is." },
    ]);
    const deltas: string[] = [];
    let finish;
    for await (const part of model.stream(modelRequest())) {
      if (part.type === "finish") finish = part;
      else deltas.push(part.delta);
    }
    assert.ok(deltas.length > 2, "text arrives in several deltas");
    assert.equal(deltas.join(""), "I need the data.Fetching it now.");
    assert.deepEqual(finish?.items, [
      { type: "reasoning", summary: [], content: [{ type: "reasoning_text", text: "I need the data." }] },
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "Fetching it now." }] },
      { type: "function_call", call_id: "call_0_0", name: "fetch", arguments: '{"url":"https://a"}' },
      { type: "function_call", call_id: "mine", name: "fetch", arguments: '{"url": broken' },
    ]);
    assert.equal(finish?.finishReason, "tool-calls");
    assert.equal(finish?.usage.inputTokens, 100);
    assert.ok((finish?.usage.outputTokens ?? 0) > 0);

    const second = await drain(model.stream(modelRequest()));
    assert.equal(second.text, "Here it is.");
    assert.equal(second.finish.finishReason, "stop");
    assert.equal(model.requests.length, 2);
  });

  it("throws provider-like errors with status, retryability and Retry-After", async () => {
    const model = new ScriptedModel([{ error: { status: 429, message: "slow down", retryAfterSeconds: 2 } }, { error: { status: 401 } }]);
    await assert.rejects(drain(model.stream(modelRequest())), (error: unknown) => {
      assert.ok(error instanceof ModelCallError);
      assert.deepEqual([error.status, error.retryable, error.retryAfterMs], [429, true, 2000]);
      assert.match(error.message, /slow down/);
      return true;
    });
    await assert.rejects(drain(model.stream(modelRequest())), (error: unknown) => error instanceof ModelCallError && !error.retryable);
  });

  it("says so, without retrying, when the script has no more turns", async () => {
    const model = new ScriptedModel([{ text: "only one" }]);
    await drain(model.stream(modelRequest()));
    await assert.rejects(drain(model.stream(modelRequest())), (error: unknown) => {
      assert.ok(error instanceof ModelCallError);
      assert.equal(error.retryable, false);
      assert.match(error.message, /no turn 2: its script ended after 1 turn/);
      return true;
    });
  });

  it("plays a function script that sees the request and the turn index", async () => {
    const model = new ScriptedModel((request, turnIndex) =>
      turnIndex < 2 ? { text: `turn ${turnIndex} saw ${request.items.length} item(s)` } : undefined,
    );
    assert.equal((await drain(model.stream(modelRequest()))).text, "turn 0 saw 1 item(s)");
    assert.equal((await drain(model.stream(modelRequest()))).text, "turn 1 saw 1 item(s)");
    await assert.rejects(drain(model.stream(modelRequest())), ModelCallError);
  });

  it("honours the abort signal during delayMs", async () => {
    const model = new ScriptedModel([{ text: "late", delayMs: 10_000 }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const started = Date.now();
    await assert.rejects(drain(model.stream(modelRequest({ signal: controller.signal }))), { name: "AbortError" });
    assert.ok(Date.now() - started < 5000, "the 10 s delay was cut short");
  });

  it("drops tool calls under toolChoice none, like a real client", async () => {
    const model = new ScriptedModel([{ text: "Answer.", toolCalls: [{ name: "search", arguments: "{}" }] }]);
    const turn = await drain(model.stream(modelRequest({ toolChoice: "none" })));
    assert.deepEqual(
      turn.finish.items.map((item) => item.type),
      ["message"],
    );
    assert.equal(turn.finish.finishReason, "stop");
  });

  it("loads a JSON script file through resolveModel, as a list or as { turns }", async () => {
    const listPath = scriptFile([{ text: "from a file" }]);
    const model = resolveModel(`scripted:${listPath}`, {});
    assert.equal(model.id, `scripted:${listPath}`);
    assert.equal(model.provider, "scripted");
    assert.equal((await drain(model.stream(modelRequest()))).text, "from a file");

    const wrapped = resolveModel(`scripted:${scriptFile({ turns: [{ reasoning: "hm", text: "wrapped" }] })}`);
    assert.equal((await drain(wrapped.stream(modelRequest()))).text, "wrapped");
  });

  it("rejects a bad script file with errors that name the field", () => {
    const badField = scriptFile([{ text: "fine" }, { toolCalls: [{ name: 42, arguments: "{}" }] }]);
    assert.throws(
      () => ScriptedModel.fromFile(badField),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /turns\[1\]\.toolCalls\[0\]\.name/);
        assert.match(error.hint ?? "", /toolCalls\?: \[\{ name, arguments, id\? \}\]/);
        return true;
      },
    );
    assert.throws(() => ScriptedModel.fromFile(scriptFile([{ txt: "typo" }])), /turns\[0\]: Unrecognized key: "txt"/);
    assert.throws(() => ScriptedModel.fromFile(scriptFile([{ error: { status: "500" } }])), /turns\[0\]\.error\.status/);
    assert.throws(() => ScriptedModel.fromFile(scriptFile("[{ not json")), /is not valid JSON/);
    assert.throws(() => ScriptedModel.fromFile(scriptFile({ steps: [] })), /expected a list of turns/);
    assert.throws(() => ScriptedModel.fromFile("/no/such/script.json"), /Cannot read the script file \/no\/such\/script\.json/);
  });
});
