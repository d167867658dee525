import { test } from "node:test";
import assert from "node:assert/strict";
import { APIError } from "openai";
import { conversationScript, firstAnswer, firstQuestion, followUpQuestion, rememberedAnswer } from "../support/conversation-script.js";
import { eventually, startServerFixture } from "./server-fixture.js";

// Conversations over the OpenAI endpoints, against a fake model over real HTTP and the real Python
// sandbox: the follow-up is answered right only if it carried turn 1's tool output and found its file.

test("responses.create with previous_response_id continues the conversation: turn 1's tool output and workspace", async () => {
  const fixture = await startServerFixture(conversationScript);
  try {
    const client = fixture.client();
    const first = await client.responses.create({ model: "ponder", input: firstQuestion });
    assert.equal(first.output_text, firstAnswer);
    const second = await client.responses.create({ model: "ponder", input: followUpQuestion, previous_response_id: first.id });
    assert.match(second.output_text, rememberedAnswer);
    assert.equal(second.previous_response_id, first.id);
    const run = (await (await fixture.request("GET", `/v1/runs/${second.id}`)).json()) as { items: { item: { type: string } }[] };
    assert.ok(!JSON.stringify(run.items).includes(firstAnswer), "the follow-up's run holds only its own items");
  } finally {
    await fixture.close();
  }
});

test("previous_response_id: unknown or another tenant's is a 404, a running one a 409; nothing is started", async () => {
  const fixture = await startServerFixture((body) => (JSON.stringify(body).includes("slowly") ? { delayMs: 60_000, text: "late" } : { text: "Done." }), { tenants: ["alpha", "beta"] });
  try {
    const alpha = fixture.client(fixture.keys.alpha);
    const beta = fixture.client(fixture.keys.beta);
    const finished = await alpha.responses.create({ model: "ponder", input: "Say done." });
    const running = await alpha.responses.create({ model: "ponder", input: "Answer slowly.", background: true });
    // The background run is asking the model: everything after this would be a new request.
    const requests = (await eventually(async () => fixture.model.requests.length, (count) => count === 2));
    const refusal = (previous: string, client = alpha) => client.responses.create({ model: "ponder", input: "And then?", previous_response_id: previous }).catch((caught: unknown) => caught);
    for (const [error, status] of [
      [await refusal("resp_made_up"), 404],
      [await refusal(finished.id, beta), 404],
      [await refusal(running.id), 409],
    ] as const) {
      assert.ok(error instanceof APIError && error.status === status, String(error));
    }
    const foreign = (await refusal(finished.id, beta)) as APIError;
    assert.equal(foreign.code, "run_not_found", "told exactly what a missing id is told");
    assert.equal(fixture.model.requests.length, requests, "no model was asked");
    await alpha.responses.cancel(running.id);
  } finally {
    await fixture.close();
  }
});
