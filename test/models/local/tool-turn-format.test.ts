import { test } from "node:test";
import assert from "node:assert/strict";
import { ThinkSplitter } from "../../../src/models/local/think-splitter.js";
import { callAsReply, parseToolTurn, toolTurnSchema } from "../../../src/models/local/tool-turn-format.js";

test("think blocks become reasoning even when a tag is split across chunks", () => {
  const splitter = new ThinkSplitter();
  const pieces = [...splitter.push("<thi"), ...splitter.push("nk>plan it</th"), ...splitter.push("ink>The answer"), ...splitter.flush()];
  assert.deepEqual(pieces, [
    { kind: "reasoning", text: "plan it" },
    { kind: "text", text: "The answer" },
  ]);
});

test("a constrained reply parses into a call, an answer, or (cut off) malformed text", () => {
  assert.deepEqual(parseToolTurn('{"call": {"name": "python", "arguments": {"code": "1+1"}}}'), {
    kind: "call",
    name: "python",
    arguments: '{"code":"1+1"}',
  });
  assert.deepEqual(parseToolTurn('{"final_answer": "42"}'), { kind: "answer", text: "42" });
  assert.deepEqual(parseToolTurn('{"call": {"name": "pyth'), { kind: "malformed", text: '{"call": {"name": "pyth' });
  assert.equal(callAsReply({ name: "python", arguments: '{"code":"1"}' }), '{"call":{"name":"python","arguments":{"code":"1"}}}');
});

test("the reply schema offers each tool with its own argument schema, minus keywords the grammar cannot use", () => {
  const schema = toolTurnSchema([
    {
      name: "add",
      description: "",
      inputSchema: { $schema: "x", type: "object", properties: { a: { type: "number", default: 1 } }, required: ["a"] },
    },
  ]) as { oneOf: Record<string, unknown>[] };
  assert.equal(schema.oneOf.length, 2);
  assert.deepEqual(JSON.parse(JSON.stringify(schema.oneOf[0])).properties.call.properties.arguments, {
    type: "object",
    properties: { a: { type: "number" } },
    required: ["a"],
  });
});
