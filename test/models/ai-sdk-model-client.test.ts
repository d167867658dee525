// The adapter against hand-made provider streams: the edge cases a real server rarely sends.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { ModelCallError } from "../../src/core/errors.js";
import { AiSdkModelClient } from "../../src/models/ai-sdk-model-client.js";
import type { ProviderApi } from "../../src/models/model-capabilities.js";
import { drain, modelRequest, searchTool } from "./turn-helpers.js";

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 5, text: 5, reasoning: 0 },
};
const finish: LanguageModelV3StreamPart = { type: "finish", usage, finishReason: { unified: "stop", raw: "stop" } };

function fakeModel(
  parts: LanguageModelV3StreamPart[],
  seen: LanguageModelV3CallOptions[] = [],
  provider = "openai.responses",
): LanguageModelV3 {
  return {
    specificationVersion: "v3",
    provider,
    modelId: "o4-mini",
    supportedUrls: {},
    doGenerate: () => Promise.reject(new Error("not used")),
    doStream: (options) => {
      seen.push(options);
      return Promise.resolve({
        stream: new ReadableStream({
          start(controller) {
            for (const part of parts) controller.enqueue(part);
            controller.close();
          },
        }),
      });
    },
  };
}

const client = (model: LanguageModelV3, api: ProviderApi = "openai-responses") =>
  new AiSdkModelClient({ model, api, id: "openai:o4-mini" });

describe("AiSdkModelClient", () => {
  it("joins the summary parts of one OpenAI reasoning item, keeping its latest metadata", async () => {
    const parts: LanguageModelV3StreamPart[] = [
      { type: "reasoning-start", id: "rs_1:0", providerMetadata: { openai: { itemId: "rs_1", reasoningEncryptedContent: null } } },
      { type: "reasoning-delta", id: "rs_1:0", delta: "First part.", providerMetadata: { openai: { itemId: "rs_1" } } },
      { type: "reasoning-start", id: "rs_1:1", providerMetadata: { openai: { itemId: "rs_1", reasoningEncryptedContent: null } } },
      { type: "reasoning-delta", id: "rs_1:1", delta: "Second part.", providerMetadata: { openai: { itemId: "rs_1" } } },
      { type: "reasoning-end", id: "rs_1:0", providerMetadata: { openai: { itemId: "rs_1", reasoningEncryptedContent: "enc" } } },
      { type: "reasoning-end", id: "rs_1:1", providerMetadata: { openai: { itemId: "rs_1", reasoningEncryptedContent: "enc" } } },
      finish,
    ];
    const turn = await drain(client(fakeModel(parts)).stream(modelRequest()));
    assert.equal(turn.reasoning, "First part.Second part.");
    assert.deepEqual(turn.finish.items, [
      {
        type: "reasoning",
        summary: [
          { type: "summary_text", text: "First part." },
          { type: "summary_text", text: "Second part." },
        ],
        provider_metadata: { openai: { itemId: "rs_1", reasoningEncryptedContent: "enc" } },
      },
    ]);
  });

  it("keeps items in the order they started and leaves out calls the provider ran itself", async () => {
    const parts: LanguageModelV3StreamPart[] = [
      { type: "tool-input-start", id: "call_1", toolName: "search" },
      { type: "text-start", id: "t" },
      { type: "text-delta", id: "t", delta: "While that runs..." },
      { type: "tool-input-delta", id: "call_1", delta: '{"query":' },
      { type: "tool-call", toolCallId: "web_1", toolName: "web_search", input: "{}", providerExecuted: true },
      { type: "tool-call", toolCallId: "call_1", toolName: "search", input: '{"query":"x"}' },
      { ...finish, finishReason: { unified: "tool-calls", raw: "tool_calls" } } as LanguageModelV3StreamPart,
    ];
    const turn = await drain(client(fakeModel(parts)).stream(modelRequest({ tools: [searchTool] })));
    assert.deepEqual(
      turn.finish.items.map((item) => item.type),
      ["function_call", "message"],
    );
    assert.equal(turn.finish.finishReason, "tool-calls");
  });

  it("throws a retryable error when the stream ends without a finish", async () => {
    const parts: LanguageModelV3StreamPart[] = [
      { type: "text-start", id: "t" },
      { type: "text-delta", id: "t", delta: "cut" },
    ];
    await assert.rejects(drain(client(fakeModel(parts)).stream(modelRequest())), (error: unknown) => {
      assert.ok(error instanceof ModelCallError);
      assert.equal(error.retryable, true);
      assert.match(error.message, /ended before the turn finished/);
      return true;
    });
  });

  it("turns stream error parts into ModelCallErrors by their type", async () => {
    const overloaded: LanguageModelV3StreamPart[] = [{ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }];
    await assert.rejects(drain(client(fakeModel(overloaded), "anthropic-messages").stream(modelRequest())), (error: unknown) => {
      assert.ok(error instanceof ModelCallError);
      assert.deepEqual([error.status, error.retryable], [529, true]);
      return true;
    });
    const tooLong: LanguageModelV3StreamPart[] = [
      { type: "error", error: { message: "This model's maximum context length is 128000 tokens.", code: "context_length_exceeded" } },
    ];
    await assert.rejects(drain(client(fakeModel(tooLong)).stream(modelRequest())), (error: unknown) => {
      assert.ok(error instanceof ModelCallError);
      assert.equal(error.retryable, false);
      assert.match(error.hint ?? "", /context window/);
      return true;
    });
  });

  it("maps effort to provider options only for models that reason", async () => {
    const seen: LanguageModelV3CallOptions[] = [];
    await drain(client(fakeModel([finish], seen)).stream(modelRequest({ effort: "minimal" })));
    assert.deepEqual(seen[0]?.providerOptions, {
      openai: { store: false, forceReasoning: true, reasoningSummary: "auto", reasoningEffort: "low" },
    });

    const gpt4o = new AiSdkModelClient({ model: { ...fakeModel([finish], seen), modelId: "gpt-4o" }, api: "openai-responses" });
    await drain(gpt4o.stream(modelRequest({ effort: "high" })));
    assert.deepEqual(seen[1]?.providerOptions, { openai: { store: false } });

    const overridden = new AiSdkModelClient({
      model: { ...fakeModel([finish], seen, "my-server.chat"), modelId: "house-model" },
      api: "openai-compatible",
      capabilities: { reasoning: true },
    });
    assert.equal(overridden.id, "my-server:house-model");
    await drain(overridden.stream(modelRequest({ effort: "high" })));
    assert.deepEqual(seen[2]?.providerOptions, { "my-server": { reasoningEffort: "high" } });
  });

  it("refuses to start when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const seen: LanguageModelV3CallOptions[] = [];
    await assert.rejects(drain(client(fakeModel([finish], seen)).stream(modelRequest({ signal: controller.signal }))), {
      name: "AbortError",
    });
    assert.equal(seen.length, 0);
  });
});
