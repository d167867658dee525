import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveModel } from "../../src/models/resolve-model.js";
import { startFakeOpenAIServer } from "../support/fake-openai-server.js";
import { drain, modelRequest, readTool, searchTool } from "./turn-helpers.js";

// `stream: false` makes one plain call: the turn's items must be the same as when streamed.
const turn = {
  reasoning: "Two tools at once.",
  text: "Looking.",
  toolCalls: [
    { name: "search", arguments: '{"query":"ponder"}', id: "call_search" },
    { name: "read", arguments: '{"url":"https://example.com"}', id: "call_read" },
  ],
  usage: { inputTokens: 100, outputTokens: 40, reasoningTokens: 10, cachedInputTokens: 0 },
};

for (const api of ["responses", "chat"] as const) {
  describe(`non-streaming turns (${api})`, () => {
    it("gives the same items and usage as a streamed turn, with no deltas", async () => {
      const server = await startFakeOpenAIServer([turn, turn]);
      try {
        const client = resolveModel(api === "responses" ? "openai:o4-mini" : "openai:gpt-4o", {
          openai: { apiKey: "k", baseURL: server.baseURL, api },
        });
        const streamed = await drain(client.stream(modelRequest({ tools: [searchTool, readTool] })));
        const plain = await drain(client.stream({ ...modelRequest({ tools: [searchTool, readTool] }), stream: false }));
        assert.equal(server.requests[0]?.body.stream, true);
        assert.notEqual(server.requests[1]?.body.stream, true, "the second call was not streamed");
        assert.equal(plain.text, "", "no text deltas");
        // Item ids are the fake server's own per-response numbering; everything else must match.
        const withoutItemIds = (items: unknown) => JSON.parse(JSON.stringify(items).replace(/"itemId":"[^"]*"/g, '"itemId":"-"'));
        assert.deepEqual(withoutItemIds(plain.finish.items), withoutItemIds(streamed.finish.items));
        assert.deepEqual(plain.finish.usage, streamed.finish.usage);
        assert.equal(plain.finish.finishReason, "tool-calls");
      } finally {
        await server.close();
      }
    });
  });
}
