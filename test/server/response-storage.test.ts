import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { APIError } from "openai";
import { startServerFixture } from "./server-fixture.js";

// A 1×1 PNG, which the run saves into its workspace.
const tinyPng = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

test("input_items lists what a response was given; DELETE removes it with its files, and it is then unknown", async () => {
  const fixture = await startServerFixture(() => ({ text: "Noted." }));
  try {
    const client = fixture.client();
    const response = await client.responses.create({
      model: "ponder",
      input: [
        { role: "developer", content: "Answer in one word." },
        {
          role: "user",
          content: [
            { type: "input_text", text: "Remember the word lantern." },
            { type: "input_image", image_url: tinyPng, detail: "auto" },
          ],
        },
      ],
    });
    const items = [];
    for await (const item of client.responses.inputItems.list(response.id, { order: "asc", limit: 1 })) items.push(item);
    assert.equal(items.length, 1, "the input, a page at a time, followed by the client");
    assert.match(JSON.stringify(items), /lantern/);
    const descending = await client.responses.inputItems.list(response.id);
    assert.deepEqual(
      descending.data.map((item) => item.id),
      items.map((item) => item.id).reverse(),
    );

    assert.ok(existsSync(join(fixture.home, "runs", response.id, "workspace", "attachments")), "the image was saved for the tools");
    await client.responses.delete(response.id);
    assert.equal(existsSync(join(fixture.home, "runs", response.id)), false, "its folder is gone");
    for (const call of [
      () => client.responses.retrieve(response.id),
      () => client.responses.delete(response.id),
      () => client.responses.inputItems.list(response.id),
    ]) {
      const error = await call().catch((caught: unknown) => caught);
      assert.ok(error instanceof APIError && error.status === 404, String(error));
    }
    assert.equal((await fixture.request("GET", `/v1/runs/${response.id}`)).status, 404);
  } finally {
    await fixture.close();
  }
});

test("DELETE of a response that is still running is a 409; another tenant's is a 404", async () => {
  const fixture = await startServerFixture(
    (body) => (JSON.stringify(body).includes("slowly") ? { delayMs: 60_000, text: "late" } : { text: "Done." }),
    { tenants: ["alpha", "beta"] },
  );
  try {
    const alpha = fixture.client(fixture.keys.alpha);
    const running = await alpha.responses.create({ model: "ponder", input: "Answer slowly.", background: true });
    const conflict = await alpha.responses.delete(running.id).catch((caught: unknown) => caught);
    assert.ok(conflict instanceof APIError && conflict.status === 409, String(conflict));
    const foreign = await fixture
      .client(fixture.keys.beta)
      .responses.delete(running.id)
      .catch((caught: unknown) => caught);
    assert.ok(foreign instanceof APIError && foreign.status === 404, String(foreign));
    await alpha.responses.cancel(running.id);
    await alpha.responses.delete(running.id);
  } finally {
    await fixture.close();
  }
});

test("store: false keeps nothing once answered, on both endpoints; with background it is a 400 naming store", async () => {
  const fixture = await startServerFixture(() => ({ text: "Forgotten." }));
  try {
    const client = fixture.client();
    const response = await client.responses.create({ model: "ponder", input: "Say it.", store: false });
    assert.equal(response.output_text, "Forgotten.");
    const completion = await client.chat.completions.create({
      model: "ponder",
      messages: [{ role: "user", content: "Say it." }],
      store: false,
    });
    assert.equal(completion.choices[0]?.message.content, "Forgotten.");
    let streamed = "";
    for await (const event of await client.responses.create({ model: "ponder", input: "Say it.", store: false, stream: true })) {
      if (event.type === "response.output_text.delta") streamed += event.delta;
    }
    assert.equal(streamed, "Forgotten.");
    const runs = (await (await fixture.request("GET", "/v1/runs")).json()) as { data: unknown[] };
    assert.deepEqual(runs.data, [], "no run is left");
    assert.equal((await fixture.request("GET", `/v1/responses/${response.id}`)).status, 404);

    const refused = await client.responses
      .create({ model: "ponder", input: "Say it.", store: false, background: true })
      .catch((caught: unknown) => caught);
    assert.ok(refused instanceof APIError && refused.status === 400 && refused.param === "store", String(refused));
    assert.equal(fixture.model.requests.length, 3, "the refused request asked no model");
  } finally {
    await fixture.close();
  }
});
