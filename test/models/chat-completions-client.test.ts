import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Item } from "../../src/core/items.js";
import { resolveModel } from "../../src/models/resolve-model.js";
import { type FakeOpenAIServer, startFakeOpenAIServer } from "../support/fake-openai-server.js";
import { drain, modelRequest, readTool, searchTool } from "./turn-helpers.js";

const tinyPng = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

describe("Chat Completions APIs over HTTP (OpenAI chat, Ollama, compat, named providers)", () => {
  let server: FakeOpenAIServer;
  before(async () => {
    server = await startFakeOpenAIServer((body) => {
      const last = JSON.stringify(body.messages?.at(-1) ?? "");
      if (last.includes("call tools")) {
        return {
          text: "Calling both.",
          toolCalls: [
            { name: "search", arguments: '{"query":"ponder harness"}', id: "call_a" },
            { name: "read", arguments: "{not json", id: "call_b" },
          ],
        };
      }
      if (last.includes("think first")) return { reasoning: "Step one, step two.", text: "Thought it through." };
      // Ignores tool_choice "none", as some OpenAI-compatible servers do.
      if (last.includes("final answer")) return { text: "Final.", toolCalls: [{ name: "search", arguments: "{}" }] };
      return { text: "Plain answer." };
    });
  });
  after(() => server.close());

  it("selects Chat Completions with openai.api = chat and joins split tool-call arguments", async () => {
    const client = resolveModel("openai:gpt-4o", { openai: { apiKey: "key", baseURL: server.baseURL, api: "chat" } });
    const request = modelRequest({
      instructions: "Be brief.",
      items: [{ type: "message", id: "u1", role: "user", content: [{ type: "input_text", text: "Please call tools." }] }],
      tools: [searchTool, readTool],
      effort: "high",
    });
    const turn = await drain(client.stream(request));

    assert.equal(turn.text, "Calling both.");
    assert.deepEqual(
      turn.finish.items.filter((item) => item.type === "function_call"),
      [
        { type: "function_call", call_id: "call_a", name: "search", arguments: '{"query":"ponder harness"}' },
        { type: "function_call", call_id: "call_b", name: "read", arguments: "{not json" },
      ],
    );
    assert.equal(turn.finish.finishReason, "tool-calls");
    const sent = server.requests.at(-1);
    assert.equal(sent?.path, "/v1/chat/completions");
    assert.deepEqual(sent?.body.messages[0], { role: "system", content: "Be brief." });
    assert.deepEqual(sent?.body.stream_options, { include_usage: true });
    // gpt-4o does not reason: no reasoning settings even though effort was given.
    assert.equal(sent?.body.reasoning_effort, undefined);
  });

  it("sends a malformed call back wrapped, its error as the tool message, and tool images in a user message", async () => {
    const client = resolveModel("openai:gpt-4o", { openai: { apiKey: "key", baseURL: server.baseURL, api: "chat" } });
    const items: Item[] = [
      { type: "message", id: "u1", role: "user", content: [{ type: "input_text", text: "Look at it." }] },
      { type: "function_call", id: "c1", call_id: "call_a", name: "search", arguments: '{"query":"x"}' },
      { type: "function_call", id: "c2", call_id: "call_b", name: "read", arguments: "{not json" },
      {
        type: "function_call_output",
        id: "o1",
        call_id: "call_a",
        output: [
          { type: "input_text", text: "A chart:" },
          { type: "input_image", image_url: tinyPng },
        ],
      },
      { type: "function_call_output", id: "o2", call_id: "call_b", output: "Invalid JSON arguments.", error_kind: "invalid_arguments" },
    ];
    await drain(client.stream(modelRequest({ items, tools: [searchTool, readTool] })));

    const messages = server.requests.at(-1)?.body.messages as Record<string, unknown>[];
    assert.deepEqual(messages.slice(1), [
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_a", type: "function", function: { name: "search", arguments: '{"query":"x"}' } },
          { id: "call_b", type: "function", function: { name: "read", arguments: JSON.stringify({ unparsed_arguments: "{not json" }) } },
        ],
      },
      { role: "tool", tool_call_id: "call_a", content: "A chart:\n[image 1: in the next user message]" },
      { role: "tool", tool_call_id: "call_b", content: "Invalid JSON arguments." },
      {
        role: "user",
        content: [
          { type: "text", text: "Images returned by tool call call_a (search):" },
          { type: "image_url", image_url: { url: tinyPng } },
        ],
      },
    ]);
  });

  it("talks to Ollama at its base URL, with reasoning_effort for a reasoning model and its reasoning as content", async () => {
    const client = resolveModel("ollama:qwen3:8b", { ollama: { baseURL: server.baseURL } });
    assert.equal(client.provider, "ollama");
    assert.equal(client.modelName, "qwen3:8b");
    assert.equal(client.capabilities.reasoning, true);
    const request = modelRequest({
      items: [{ type: "message", id: "u1", role: "user", content: [{ type: "input_text", text: "Please think first." }] }],
      effort: "minimal",
    });
    const turn = await drain(client.stream(request));

    assert.equal(turn.reasoning, "Step one, step two.");
    assert.deepEqual(turn.finish.items[0], {
      type: "reasoning",
      summary: [],
      content: [{ type: "reasoning_text", text: "Step one, step two." }],
    });
    const sent = server.requests.at(-1);
    assert.equal(sent?.body.model, "qwen3:8b");
    assert.equal(sent?.body.reasoning_effort, "low");
    assert.equal(sent?.headers.authorization, undefined);
    assert.ok(turn.finish.usage.outputTokens > 0, "usage comes from the include_usage chunk");
  });

  it("uses a compat base URL with its key, and named custom providers", async () => {
    const compat = resolveModel("compat:llama-3.1-8b", { compat: { baseURL: server.baseURL, apiKey: "compat-key" } });
    assert.equal((await drain(compat.stream(modelRequest()))).text, "Plain answer.");
    assert.equal(server.requests.at(-1)?.headers.authorization, "Bearer compat-key");

    const named = resolveModel("lmstudio:qwen2.5-7b-instruct", { providers: { lmstudio: { baseURL: server.baseURL } } });
    assert.equal((await drain(named.stream(modelRequest()))).text, "Plain answer.");
    assert.equal(server.requests.at(-1)?.body.model, "qwen2.5-7b-instruct");
  });

  it("drops tools for toolChoice none, and any tool call a server makes anyway", async () => {
    const client = resolveModel("compat:small-model", { compat: { baseURL: server.baseURL } });
    const request = modelRequest({
      items: [{ type: "message", id: "u1", role: "user", content: [{ type: "input_text", text: "Give the final answer." }] }],
      tools: [searchTool],
      toolChoice: "none",
    });
    const turn = await drain(client.stream(request));

    assert.equal(server.requests.at(-1)?.body.tools, undefined);
    assert.equal(server.requests.at(-1)?.body.tool_choice, undefined);
    assert.deepEqual(turn.finish.items, [{ type: "message", role: "assistant", content: [{ type: "output_text", text: "Final." }] }]);
    assert.equal(turn.finish.finishReason, "stop");
  });
});
