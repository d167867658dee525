import { test } from "node:test";
import assert from "node:assert/strict";
import type { APIError } from "openai";
import { filler, smallWindowModel } from "../support/small-window-model.js";
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

/** A conversation the client sends whole: short questions, long answers (about 9,000 tokens in all). */
function longConversation(): { role: "user" | "assistant"; content: string }[] {
  const turns = Array.from({ length: 9 }, (_, index) => [
    { role: "user" as const, content: `Question ${index + 1}?` },
    { role: "assistant" as const, content: `${index === 0 ? "Note: the vault city is Lisbon. " : ""}${filler(index, 4_000)}` },
  ]).flat();
  return [...turns, { role: "user", content: "Which city holds the vault?" }];
}

test("Responses truncation and context_management: disabled sends the conversation whole (a 400 when it cannot fit), auto and a compact_threshold compact it", async () => {
  const fake = smallWindowModel(8_000, (text) => ({ text: text.includes("vault city is Lisbon") ? "Lisbon." : "Unknown." }));
  const fixture = await startServerFixture(fake.handler, {
    config: { context: { models: { "openai:gpt-5-mini": { contextWindow: 8_000 } } } },
  });
  try {
    const client = fixture.client();
    const disabled = (await client.responses
      .create({ model: "ponder", input: longConversation(), truncation: "disabled" })
      .catch((caught: unknown) => caught)) as APIError;
    assert.equal(disabled.status, 400);
    assert.equal(disabled.code, "context_length_exceeded");
    assert.equal(fake.overflows, 1);

    const auto = await client.responses.create({ model: "ponder", input: longConversation(), truncation: "auto" });
    assert.equal(auto.output_text, "Lisbon.", "the summary carried the fact");
    assert.equal(fake.overflows, 1, "compaction kept the request under the window");

    const before = fake.requests.length;
    const threshold = await client.responses.create({
      model: "ponder",
      input: longConversation(),
      context_management: [{ type: "compaction", compact_threshold: 4_000 }],
      // Without Ponder's tools the request is mostly the conversation, which the threshold is about.
      ponder: { builtin_tools: false },
    } as never);
    assert.equal(threshold.output_text, "Lisbon.");
    const turns = fake.requests.slice(before).filter((request) => !request.summarising);
    assert.ok(fake.requests.slice(before).some((request) => request.summarising));
    assert.ok(
      turns.every((request) => request.tokens < 5_000),
      turns.map((request) => request.tokens).join(","),
    );
  } finally {
    await fixture.close();
  }
});
