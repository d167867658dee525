import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Item } from "../../src/core/items.js";
import { resolveModel } from "../../src/models/resolve-model.js";
import { type FakeOpenAIServer, fakeSignature, startFakeOpenAIServer } from "../support/fake-openai-server.js";
import { type DrainedTurn, drain, modelRequest, readTool, searchTool, withIds } from "./turn-helpers.js";

const tinyPngBase64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

describe("Anthropic Messages API over HTTP", () => {
  let server: FakeOpenAIServer;
  before(async () => {
    server = await startFakeOpenAIServer([
      {
        reasoning: "I should search, then read.",
        text: "Searching now.",
        toolCalls: [
          { name: "search", arguments: '{"query":"claude"}' },
          { name: "read", arguments: '{"url":"https://a.example"}' },
        ],
        usage: { inputTokens: 200, outputTokens: 60, cachedInputTokens: 50 },
      },
      { text: "All done." },
    ]);
  });
  after(() => server.close());

  const client = () => resolveModel("anthropic:claude-sonnet-4-5", { anthropic: { apiKey: "ant-key", baseURL: server.baseURL } });
  let firstTurn: DrainedTurn | undefined;

  it("streams thinking with its signature, text and tool_use blocks into items, with thinking on for effort", async () => {
    firstTurn = await drain(
      client().stream(modelRequest({ instructions: "Be careful.", tools: [searchTool, readTool], effort: "medium" })),
    );

    assert.equal(firstTurn.reasoning, "I should search, then read.");
    assert.equal(firstTurn.text, "Searching now.");
    assert.deepEqual(firstTurn.finish.items, [
      {
        type: "reasoning",
        summary: [],
        content: [{ type: "reasoning_text", text: "I should search, then read." }],
        provider_metadata: { anthropic: { signature: fakeSignature("I should search, then read.") } },
      },
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "Searching now." }] },
      { type: "function_call", call_id: "toolu_0_0", name: "search", arguments: '{"query":"claude"}' },
      { type: "function_call", call_id: "toolu_0_1", name: "read", arguments: '{"url":"https://a.example"}' },
    ]);
    assert.deepEqual(firstTurn.finish.usage, { inputTokens: 200, outputTokens: 60, reasoningTokens: 0, cachedInputTokens: 50 });
    assert.equal(firstTurn.finish.finishReason, "tool-calls");

    const sent = server.requests[0];
    assert.equal(sent?.path, "/v1/messages");
    assert.equal(sent?.headers["x-api-key"], "ant-key");
    assert.deepEqual(sent?.body.thinking, { type: "enabled", budget_tokens: 8192 });
    assert.ok((sent?.body.max_tokens as number) > 8192, "max_tokens leaves room beyond the thinking budget");
    // The instructions end the prompt's stable prefix: a cache breakpoint (see cache-breakpoints.ts).
    assert.deepEqual(sent?.body.system, [{ type: "text", text: "Be careful.", cache_control: { type: "ephemeral" } }]);
  });

  it("sends thinking back with its signature, tool_use blocks, and error results marked as errors", async () => {
    assert.ok(firstTurn, "runs after the streaming test");
    const items: Item[] = [
      { type: "message", id: "u1", role: "user", content: [{ type: "input_text", text: "Research claude." }] },
      ...withIds(firstTurn.finish.items, "turn"),
      {
        type: "function_call_output",
        id: "o1",
        call_id: "toolu_0_0",
        output: [
          { type: "input_text", text: "Found an image:" },
          { type: "input_image", image_url: `data:image/png;base64,${tinyPngBase64}` },
        ],
      },
      { type: "function_call_output", id: "o2", call_id: "toolu_0_1", output: "The page timed out.", error_kind: "timeout" },
    ];
    const turn = await drain(client().stream(modelRequest({ items, tools: [searchTool, readTool], effort: "medium" })));
    assert.equal(turn.text, "All done.");

    const messages = server.requests[1]?.body.messages as { role: string; content: Record<string, unknown>[] }[];
    assert.equal(messages.length, 3);
    const [thinking, text, search, read] = messages[1]?.content ?? [];
    assert.deepEqual(thinking, {
      type: "thinking",
      thinking: "I should search, then read.",
      signature: fakeSignature("I should search, then read."),
    });
    assert.equal(text?.type, "text");
    assert.deepEqual([search?.type, search?.id, search?.input], ["tool_use", "toolu_0_0", { query: "claude" }]);
    assert.deepEqual([read?.type, read?.id], ["tool_use", "toolu_0_1"]);
    const [imageResult, errorResult] = messages[2]?.content ?? [];
    assert.deepEqual(imageResult, {
      type: "tool_result",
      tool_use_id: "toolu_0_0",
      content: [
        { type: "text", text: "Found an image:" },
        { type: "image", source: { type: "base64", media_type: "image/png", data: tinyPngBase64 } },
      ],
    });
    // The request's last block carries the breakpoint the next step reads the cache up to.
    assert.deepEqual(errorResult, {
      type: "tool_result",
      tool_use_id: "toolu_0_1",
      content: "The page timed out.",
      is_error: true,
      cache_control: { type: "ephemeral" },
    });
  });
});
