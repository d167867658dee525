import { test } from "node:test";
import assert from "node:assert/strict";
import type { APIError } from "openai";
import { startServerFixture } from "./server-fixture.js";

test("a question larger than the model's usable window is a 400 context_length_exceeded, and the model is never asked", async () => {
  const fixture = await startServerFixture(() => ({ text: "never" }), {
    config: { context: { models: { "openai:gpt-5-mini": { contextWindow: 2_000 } } } },
  });
  try {
    const client = fixture.client();
    const input = `Summarise: ${"lorem ipsum ".repeat(1_500)}`;
    const refused = (await client.responses.create({ model: "ponder", input }).catch((caught: unknown) => caught)) as APIError;
    assert.equal(refused.status, 400);
    assert.equal(refused.code, "context_length_exceeded");
    assert.match(refused.message, /context window of openai:gpt-5-mini \(2000 tokens/);
    const chat = (await client.chat.completions
      .create({ model: "ponder", messages: [{ role: "user", content: input }] })
      .catch((caught: unknown) => caught)) as APIError;
    assert.equal(chat.status, 400);
    assert.equal(chat.code, "context_length_exceeded");
    assert.equal(fixture.model.requests.length, 0);
  } finally {
    await fixture.close();
  }
});
