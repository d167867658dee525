import { test } from "node:test";
import assert from "node:assert/strict";
import type { APIError } from "openai";
import { filler, smallWindowModel } from "../support/small-window-model.js";
import { startServerFixture } from "./server-fixture.js";

const fact = "Note: the vault city is Lisbon.";
const question = "Which city holds the vault?";

/** Short questions, long answers; the fact is in an answer, which compaction does not keep verbatim. */
function conversation(): { role: "user" | "assistant"; content: string }[] {
  return Array.from({ length: 4 }, (_, index) => [
    { role: "user" as const, content: `Question ${index + 1}?` },
    { role: "assistant" as const, content: `${index === 0 ? `${fact} ` : ""}${filler(index, 3_000)}` },
  ]).flat();
}

async function refused(call: () => Promise<unknown>): Promise<APIError> {
  return (await call().then(
    () => assert.fail("expected a refusal"),
    (caught: unknown) => caught,
  )) as APIError;
}

test("POST /v1/responses/compact returns the user's messages and a readable summary, which a later response reads as its context", async () => {
  let failSummaries = false;
  const fake = smallWindowModel(
    100_000,
    // Right only if the summary reached the model, and the long answers it replaced did not.
    (text) => ({ text: text.includes("vault city is Lisbon") && !text.includes(filler(1, 3_000)) ? "Lisbon." : "Unknown." }),
    (text) => ({ text: failSummaries ? "" : (text.match(/[a-z]+ [a-z]+ is [A-Z][a-z]+/g) ?? []).join("\n") }),
  );
  const fixture = await startServerFixture(fake.handler);
  try {
    const client = fixture.client();
    const compacted = await client.responses.compact({ model: "ponder", input: conversation() });
    assert.equal(compacted.object, "response.compaction");
    const output = compacted.output as unknown as Record<string, unknown>[];
    assert.deepEqual(
      output.filter((item) => item.type === "message").map((item) => (item.content as { text: string }[])[0]?.text),
      ["Question 1?", "Question 2?", "Question 3?", "Question 4?"],
      "the user's own messages, verbatim; the answers are gone",
    );
    const compaction = output.at(-1) as { type: string; tier: string; text: string; tokens_before: number; tokens_after: number };
    assert.equal(compaction.type, "compaction");
    assert.equal(compaction.tier, "summary");
    assert.match(compaction.text, /vault city is Lisbon/);
    assert.ok(compaction.tokens_after < compaction.tokens_before, `${compaction.tokens_after} < ${compaction.tokens_before}`);
    assert.ok(compacted.usage.input_tokens > 0);

    const followUp = await client.responses.create({
      model: "ponder",
      input: [...(compacted.output as never[]), { role: "user", content: question }],
      truncation: "auto",
    });
    assert.equal(followUp.output_text, "Lisbon.");
    assert.equal(followUp.truncation, "auto");

    // A stored conversation, named by its response id.
    const first = await client.responses.create({ model: "ponder", input: [...conversation(), { role: "user", content: question }] });
    assert.equal(first.truncation, "auto", "compaction is the server's default");
    const fromStored = await client.responses.compact({ model: "ponder", previous_response_id: first.id });
    assert.match((fromStored.output.at(-1) as unknown as { text: string }).text, /vault city is Lisbon/);

    // A summariser that writes nothing: the conversation is cut with a note, never a 5xx.
    failSummaries = true;
    const fallback = await client.responses.compact({ model: "ponder", input: conversation() });
    const truncated = fallback.output.at(-1) as unknown as { tier: string; text: string };
    assert.equal(truncated.tier, "truncation");
    assert.match(truncated.text, /summarising them failed: the summarising call returned no text/);
  } finally {
    await fixture.close();
  }
});

test("compact refuses nothing to compact and an unknown previous_response_id; truncation disabled is reported", async () => {
  const fixture = await startServerFixture(() => ({ text: "Hello." }));
  try {
    const client = fixture.client();
    const empty = await refused(() => client.responses.compact({ model: "ponder", input: [] }));
    assert.equal(empty.status, 400);
    assert.equal(empty.param, "input");
    const unknown = await refused(() => client.responses.compact({ model: "ponder", previous_response_id: "resp_missing" }));
    assert.equal(unknown.status, 404);
    const badItem = await refused(() =>
      client.responses.compact({ model: "ponder", input: [{ type: "compaction", encrypted_content: 5 }] as never }),
    );
    assert.equal(badItem.status, 400);
    assert.equal(badItem.param, "input.0.text");
    const disabled = await client.responses.create({ model: "ponder", input: "Hi", truncation: "disabled" });
    assert.equal(disabled.truncation, "disabled");
    assert.equal((await client.responses.retrieve(disabled.id)).truncation, "disabled");
  } finally {
    await fixture.close();
  }
});
