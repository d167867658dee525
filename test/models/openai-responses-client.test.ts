import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Item } from "../../src/core/items.js";
import { resolveModel } from "../../src/models/resolve-model.js";
import { type FakeOpenAIServer, startFakeOpenAIServer } from "../support/fake-openai-server.js";
import { type DrainedTurn, drain, modelRequest, readTool, searchTool, withIds } from "./turn-helpers.js";

const tinyPng = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

describe("OpenAI Responses API over HTTP", () => {
  let server: FakeOpenAIServer;
  before(async () => {
    server = await startFakeOpenAIServer([
      {
        reasoning: "The user wants two things, so I will call both tools.",
        text: "Let me look.",
        toolCalls: [
          { name: "search", arguments: '{"query":"ponder"}' },
          { name: "read", arguments: '{"url": "https://example.com"' },
        ],
        usage: { inputTokens: 120, outputTokens: 80, reasoningTokens: 50, cachedInputTokens: 20 },
      },
      { text: "Done: both tools answered." },
      { text: "A 1x1 image." },
      { text: "No tools for you." },
    ]);
  });
  after(() => server.close());

  let firstTurn: DrainedTurn | undefined;
  const client = () => resolveModel("openai:o4-mini", { openai: { apiKey: "test-key", baseURL: server.baseURL } });

  it("streams reasoning summary, text and parallel tool calls into complete items", async () => {
    const turn = await drain(client().stream(modelRequest({ tools: [searchTool, readTool], effort: "high" })));
    firstTurn = turn;

    assert.equal(turn.reasoning, "The user wants two things, so I will call both tools.");
    assert.equal(turn.text, "Let me look.");
    const [reasoning, message, search, read] = turn.finish.items;
    assert.equal(turn.finish.items.length, 4);
    assert.deepEqual(reasoning, {
      type: "reasoning",
      summary: [{ type: "summary_text", text: "The user wants two things, so I will call both tools." }],
      provider_metadata: {
        openai: {
          itemId: "rs_0",
          reasoningEncryptedContent: `encrypted:${Buffer.from("The user wants two things, so I will call both tools.").toString("base64")}`,
        },
      },
    });
    assert.deepEqual(message, { type: "message", role: "assistant", content: [{ type: "output_text", text: "Let me look." }] });
    assert.deepEqual(search, {
      type: "function_call",
      call_id: "call_0_0",
      name: "search",
      arguments: '{"query":"ponder"}',
      provider_metadata: { openai: { itemId: "fc_0_0" } },
    });
    assert.equal(read?.type === "function_call" && read.arguments, '{"url": "https://example.com"');
    assert.deepEqual(turn.finish.usage, { inputTokens: 120, outputTokens: 80, reasoningTokens: 50, cachedInputTokens: 20 });
    assert.equal(turn.finish.finishReason, "tool-calls");

    const request = server.requests[0];
    assert.equal(request?.path, "/v1/responses");
    assert.equal(request?.headers.authorization, "Bearer test-key");
    assert.equal(request?.body.stream, true);
    assert.equal(request?.body.store, false);
    assert.deepEqual(request?.body.reasoning, { effort: "high", summary: "auto" });
    assert.ok((request?.body.include as string[]).includes("reasoning.encrypted_content"));
    assert.deepEqual(
      (request?.body.tools as { name: string }[]).map((tool) => tool.name),
      ["search", "read"],
    );
  });

  it("sends the turn back: reasoning with its encrypted content, calls (even malformed ones) and their outputs", async () => {
    assert.ok(firstTurn, "runs after the streaming test");
    const turnItems = withIds(firstTurn.finish.items, "turn");
    const items: Item[] = [
      { type: "message", id: "user_1", role: "user", content: [{ type: "input_text", text: "Find ponder." }] },
      ...turnItems,
      { type: "function_call_output", id: "out_1", call_id: "call_0_0", output: "3 results" },
      {
        type: "function_call_output",
        id: "out_2",
        call_id: "call_0_1",
        output: "The arguments are not valid JSON: a closing brace is missing.",
        error_kind: "invalid_arguments",
      },
      { type: "note", id: "note_1", kind: "info", text: "Ponder's own note stays out of the prompt." },
    ];
    await drain(client().stream(modelRequest({ items, tools: [searchTool, readTool] })));

    const input = server.requests.at(-1)?.body.input as Record<string, unknown>[];
    assert.deepEqual(input, [
      { role: "user", content: [{ type: "input_text", text: "Find ponder." }] },
      {
        type: "reasoning",
        id: "rs_0",
        encrypted_content: `encrypted:${Buffer.from("The user wants two things, so I will call both tools.").toString("base64")}`,
        summary: [{ type: "summary_text", text: "The user wants two things, so I will call both tools." }],
      },
      { role: "assistant", content: [{ type: "output_text", text: "Let me look." }] },
      { type: "function_call", call_id: "call_0_0", name: "search", arguments: '{"query":"ponder"}' },
      {
        type: "function_call",
        call_id: "call_0_1",
        name: "read",
        arguments: JSON.stringify({ unparsed_arguments: '{"url": "https://example.com"' }),
      },
      { type: "function_call_output", call_id: "call_0_0", output: "3 results" },
      { type: "function_call_output", call_id: "call_0_1", output: "The arguments are not valid JSON: a closing brace is missing." },
    ]);
  });

  it("passes images in the user's message as input_image", async () => {
    const items: Item[] = [
      {
        type: "message",
        id: "user_1",
        role: "user",
        content: [
          { type: "input_text", text: "What is this?" },
          { type: "input_image", image_url: tinyPng, detail: "high" },
        ],
      },
    ];
    const turn = await drain(client().stream(modelRequest({ items })));
    assert.equal(turn.text, "A 1x1 image.");
    const input = server.requests.at(-1)?.body.input as { content: unknown[] }[];
    assert.deepEqual(input[0]?.content, [
      { type: "input_text", text: "What is this?" },
      { type: "input_image", image_url: tinyPng, detail: "high" },
    ]);
  });

  it("sends tool_choice none for a tool-free final turn", async () => {
    const turn = await drain(client().stream(modelRequest({ tools: [searchTool], toolChoice: "none" })));
    assert.equal(turn.text, "No tools for you.");
    assert.equal(server.requests.at(-1)?.body.tool_choice, "none");
  });
});
