// The fake server must speak the real wire formats: the official `openai` client and the AI SDK
// provider packages (their zod schemas) both consume what it sends.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import OpenAI from "openai";
import { resolveModel } from "../../src/models/resolve-model.js";
import { type FakeOpenAIServer, fakeSignature, startFakeOpenAIServer } from "../support/fake-openai-server.js";
import { drain, modelRequest } from "./turn-helpers.js";

const answer = {
  reasoning: "Two cities, two lookups.",
  text: "Checking the weather.",
  toolCalls: [
    { name: "weather", arguments: '{"city":"Paris"}', id: "call_p" },
    { name: "weather", arguments: '{"city":"Oslo"}', id: "call_o" },
  ],
};
const prompt = [{ role: "user" as const, content: [{ type: "text" as const, text: "Weather?" }] }];

describe("fake OpenAI server", () => {
  let server: FakeOpenAIServer;
  let openai: OpenAI;
  before(async () => {
    server = await startFakeOpenAIServer(() => answer);
    openai = new OpenAI({ apiKey: "key", baseURL: server.baseURL, maxRetries: 0 });
  });
  after(() => server.close());

  it("streams chat completions the official client accumulates, tool-call arguments included", async () => {
    const stream = openai.chat.completions.stream({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Weather?" }],
      stream_options: { include_usage: true },
    });
    const completion = await stream.finalChatCompletion();
    const message = completion.choices[0]?.message;
    assert.equal(message?.content, "Checking the weather.");
    assert.deepEqual(
      message?.tool_calls?.map((call) => (call.type === "function" ? [call.id, call.function.name, call.function.arguments] : [])),
      [
        ["call_p", "weather", '{"city":"Paris"}'],
        ["call_o", "weather", '{"city":"Oslo"}'],
      ],
    );
    assert.equal(completion.choices[0]?.finish_reason, "tool_calls");
    assert.ok((completion.usage?.completion_tokens ?? 0) > 0);
  });

  it("streams the Responses event sequence the official client accumulates", async () => {
    const stream = openai.responses.stream({ model: "o4-mini", input: "Weather?" });
    const deltas: string[] = [];
    stream.on("response.output_text.delta", (event) => deltas.push(event.delta));
    const response = await stream.finalResponse();
    assert.equal(response.status, "completed");
    assert.equal(response.output_text, "Checking the weather.");
    assert.equal(deltas.join(""), "Checking the weather.");
    const reasoning = response.output.find((item) => item.type === "reasoning");
    assert.deepEqual(reasoning?.type === "reasoning" && reasoning.summary, [{ type: "summary_text", text: "Two cities, two lookups." }]);
    const calls = response.output.filter((item) => item.type === "function_call");
    assert.deepEqual(
      calls.map((call) => (call.type === "function_call" ? call.arguments : "")),
      ['{"city":"Paris"}', '{"city":"Oslo"}'],
    );
  });

  it("answers non-stream requests and lists models", async () => {
    const completion = await openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Weather?" }] });
    assert.equal(completion.choices[0]?.message.tool_calls?.length, 2);
    const response = await openai.responses.create({ model: "o4-mini", input: "Weather?" });
    assert.equal(response.output_text, "Checking the weather.");
    const models = await openai.models.list();
    assert.deepEqual(
      models.data.map((model) => model.id),
      ["fake-model"],
    );
  });

  it("answers non-stream requests in the shapes the AI SDK providers parse", async () => {
    const responses = await createOpenAI({ apiKey: "key", baseURL: server.baseURL }).responses("o4-mini").doGenerate({ prompt });
    assert.deepEqual(
      responses.content.map((part) => part.type),
      ["reasoning", "text", "tool-call", "tool-call"],
    );
    const chat = await createOpenAI({ apiKey: "key", baseURL: server.baseURL }).chat("gpt-4o").doGenerate({ prompt });
    assert.deepEqual(
      chat.content.map((part) => part.type),
      ["text", "tool-call", "tool-call"],
    );
    const messages = await createAnthropic({ apiKey: "key", baseURL: server.baseURL }).messages("claude-sonnet-4-5").doGenerate({ prompt });
    const thinking = messages.content[0];
    assert.equal(thinking?.type, "reasoning");
    assert.deepEqual(thinking?.type === "reasoning" && thinking.providerMetadata, {
      anthropic: { signature: fakeSignature(answer.reasoning) },
    });
  });

  it("sends provider-shaped error bodies with the given headers", async () => {
    const failing = await startFakeOpenAIServer([{ status: 429, headers: { "Retry-After": "7" } }]);
    try {
      const client = new OpenAI({ apiKey: "key", baseURL: failing.baseURL, maxRetries: 0 });
      await assert.rejects(
        client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
        (error: unknown) => {
          assert.ok(error instanceof OpenAI.APIError);
          assert.equal(error.status, 429);
          assert.equal(error.headers?.get("retry-after"), "7");
          return true;
        },
      );
    } finally {
      await failing.close();
    }
  });

  it("stops writing when the client aborts mid-stream, and the client throws an AbortError promptly", async () => {
    const slow = await startFakeOpenAIServer([{ text: "one two three four five six seven eight nine ten", eventDelayMs: 100 }]);
    try {
      const client = resolveModel("openai:gpt-4.1", { openai: { apiKey: "key", baseURL: slow.baseURL } });
      const controller = new AbortController();
      let text = "";
      await assert.rejects(
        (async () => {
          for await (const part of client.stream(modelRequest({ signal: controller.signal }))) {
            if (part.type === "text-delta") {
              text += part.delta;
              controller.abort();
            }
          }
        })(),
        { name: "AbortError" },
      );
      assert.equal(text, "one ");
      for (let waited = 0; !slow.requests[0]?.clientDisconnected && waited < 2000; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(slow.requests[0]?.clientDisconnected, true);
    } finally {
      await slow.close();
    }
  });

  it("plays a handler with the request body, turn index and path", async () => {
    const seen: string[] = [];
    const handled = await startFakeOpenAIServer((body, index, path) => {
      seen.push(`${index} ${path} ${String(body.model)}`);
      return { text: `turn ${index}` };
    });
    try {
      const client = resolveModel("compat:m1", { compat: { baseURL: handled.baseURL } });
      assert.equal((await drain(client.stream(modelRequest()))).text, "turn 0");
      assert.equal((await drain(client.stream(modelRequest()))).text, "turn 1");
      assert.deepEqual(seen, ["0 /v1/chat/completions m1", "1 /v1/chat/completions m1"]);
    } finally {
      await handled.close();
    }
  });
});
