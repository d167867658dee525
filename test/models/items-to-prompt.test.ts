import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Item } from "../../src/core/items.js";
import { itemsToPrompt, toolCallInput } from "../../src/models/items-to-prompt.js";
import { retryAfterMsFromHeaders } from "../../src/models/model-call-errors.js";

describe("itemsToPrompt", () => {
  it("keeps valid arguments exact and wraps anything else so it can still be sent", () => {
    assert.equal(toolCallInput('{ "a" : 1 }'), '{ "a" : 1 }');
    assert.deepEqual(toolCallInput('{"a": '), { unparsed_arguments: '{"a": ' });
    assert.deepEqual(toolCallInput("[1, 2]"), { unparsed_arguments: "[1, 2]" });
    assert.deepEqual(toolCallInput(""), { unparsed_arguments: "" });
  });

  it("groups assistant-side items in order, leaves out Ponder's own items, and says late system text as user text", () => {
    const items: Item[] = [
      { type: "message", id: "s", role: "developer", content: [{ type: "input_text", text: "House rules." }] },
      { type: "message", id: "u", role: "user", content: [{ type: "input_text", text: "Hi" }] },
      { type: "reasoning", id: "r0", summary: [] },
      { type: "reasoning", id: "r", summary: [], content: [{ type: "reasoning_text", text: "open-model thoughts" }] },
      { type: "message", id: "a", role: "assistant", content: [{ type: "output_text", text: "Calling." }] },
      { type: "function_call", id: "c", call_id: "call_1", name: "search", arguments: "{}" },
      { type: "approval_request", id: "ar", call_id: "call_1", name: "search", arguments: "{}" },
      { type: "approval_response", id: "ap", call_id: "call_1", approve: false, reason: "no" },
      { type: "function_call_output", id: "o", call_id: "call_1", output: "Denied by the user.", error_kind: "denied" },
      { type: "artifact", id: "f", name: "plot.png", path: "/tmp/plot.png", media_type: "image/png", bytes: 10 },
      { type: "message", id: "steer", role: "system", content: [{ type: "input_text", text: "Hurry up." }] },
    ];
    assert.deepEqual(itemsToPrompt("Instructions.", items, { toolResultImages: "inline" }), [
      { role: "system", content: "Instructions." },
      { role: "system", content: "House rules." },
      { role: "user", content: [{ type: "text", text: "Hi" }] },
      {
        role: "assistant",
        content: [
          { type: "reasoning", text: "open-model thoughts" },
          { type: "text", text: "Calling." },
          { type: "tool-call", toolCallId: "call_1", toolName: "search", input: "{}" },
        ],
      },
      {
        role: "tool",
        content: [
          { type: "tool-result", toolCallId: "call_1", toolName: "search", output: { type: "error-text", value: "Denied by the user." } },
        ],
      },
      { role: "user", content: [{ type: "text", text: "Hurry up." }] },
    ]);
  });
});

describe("retryAfterMsFromHeaders", () => {
  it("reads retry-after-ms, retry-after seconds and HTTP dates", () => {
    assert.equal(retryAfterMsFromHeaders({ "retry-after-ms": "250", "retry-after": "9" }), 250);
    assert.equal(retryAfterMsFromHeaders({ "Retry-After": "2" }), 2000);
    const now = Date.parse("2025-06-01T12:00:00Z");
    assert.equal(retryAfterMsFromHeaders({ "retry-after": "Sun, 01 Jun 2025 12:00:03 GMT" }, now), 3000);
    assert.equal(retryAfterMsFromHeaders({ "retry-after": "Sun, 01 Jun 2025 11:00:00 GMT" }, now), 0);
    assert.equal(retryAfterMsFromHeaders({ "retry-after": "soon" }), undefined);
    assert.equal(retryAfterMsFromHeaders({}), undefined);
    assert.equal(retryAfterMsFromHeaders(undefined), undefined);
  });
});
