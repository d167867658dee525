import { test } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { toolResults } from "../support/conversation.js";
import type { FakeTurn, RequestBody } from "../support/fake-openai-server.js";
import { eventually, startServerFixture } from "./server-fixture.js";
import { startPonderServer } from "../../src/server/ponder-server.js";

// Background responses streamed and resumed with the official client: the resumed events are the
// live ones (same numbers, same content), read from the store by whichever server is asked.

const answer = "The sum of squares is 4900, computed step by step with Python in the sandbox, which every reader may check again.";

function model(body: RequestBody): FakeTurn {
  const results = toolResults(body);
  if (results.length === 0)
    return {
      text: "Let me compute it.",
      eventDelayMs: 5,
      toolCalls: [{ name: "python", arguments: JSON.stringify({ code: "print(sum(k * k for k in range(1, 25)))" }) }],
    };
  return { text: answer.replace("4900", /\d+/.exec(results[0] ?? "")?.[0] ?? "unknown"), eventDelayMs: 5 };
}

type Event = { type: string; sequence_number: number };

async function collect(stream: AsyncIterable<Event>): Promise<Event[]> {
  const events: Event[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

test("background + stream: a client that leaves at the first event resumes with starting_after; the run never stalls in queued", async () => {
  const fixture = await startServerFixture(model);
  try {
    const client = fixture.client();
    const stream = await client.responses.create({ model: "ponder", input: "Sum the squares.", background: true, stream: true });
    let first: Event | undefined;
    for await (const event of stream) {
      first = event;
      break;
    }
    assert.equal(first?.type, "response.created");
    const id = (first as unknown as { response: { id: string; background: boolean } }).response.id;
    const rest = await collect(await client.responses.retrieve(id, { stream: true, starting_after: 0 }));
    assert.deepEqual(
      rest.map((event) => event.sequence_number),
      rest.map((_, index) => index + 1),
      "every event after the first, numbered on",
    );
    const last = rest.at(-1) as Event & { response?: { status: string; output_text?: string; background: boolean } };
    assert.equal(last.type, "response.completed");
    assert.equal(last.response?.background, true);
    const done = await client.responses.retrieve(id);
    assert.equal(done.status, "completed");
    assert.equal(done.output_text, answer);
    assert.equal(done.background, true);
    const text = rest.flatMap((event) =>
      event.type === "response.output_text.delta" ? [(event as unknown as { delta: string }).delta] : [],
    );
    assert.equal(text.join(""), answer);
    assert.ok(text.length > 1, "the answer streamed in the pieces the model wrote");
  } finally {
    await fixture.close();
  }
});

test("a background stream read live equals the same stream resumed later, from another server sharing the store", async () => {
  const fixture = await startServerFixture(model);
  const env = {
    PONDER_HOME: fixture.home,
    OPENAI_API_KEY: "test-key",
    OPENAI_BASE_URL: fixture.model.baseURL,
    PONDER_MODEL: "openai:gpt-5-mini",
  };
  const other = await startPonderServer({ port: 0, host: "127.0.0.1", env, cwd: fixture.home });
  try {
    const live = await collect(
      await fixture.client().responses.create({ model: "ponder", input: "Sum the squares.", background: true, stream: true }),
    );
    const id = (live[0] as unknown as { response: { id: string } }).response.id;
    const elsewhere = new OpenAI({ baseURL: `${other.url}/v1`, apiKey: "no-key", maxRetries: 0 });
    assert.deepEqual(await collect(await elsewhere.responses.retrieve(id, { stream: true })), live);
    assert.deepEqual(await collect(await elsewhere.responses.retrieve(id, { stream: true, starting_after: 7 })), live.slice(8));
    // The official helper rebuilds the response from a resumed stream.
    const final = await elsewhere.responses.stream({ response_id: id, starting_after: 3 }).finalResponse();
    assert.equal(final.output_text, answer);
  } finally {
    await other.close();
    await fixture.close();
  }
});

test("a background response that was not streamed can still be read as a stream; a bad starting_after is a 400", async () => {
  const fixture = await startServerFixture(model);
  try {
    const client = fixture.client();
    const created = await client.responses.create({ model: "ponder", input: "Sum the squares.", background: true });
    assert.equal(created.background, true);
    const events = await collect(await client.responses.retrieve(created.id, { stream: true }));
    assert.deepEqual(
      events.map((event) => event.sequence_number),
      events.map((_, index) => index),
    );
    assert.equal(events.at(-1)?.type, "response.completed");
    await eventually(
      () => client.responses.retrieve(created.id),
      (response) => response.status === "completed",
    );
    const again = await collect(await client.responses.retrieve(created.id, { stream: true, starting_after: 2 }));
    assert.deepEqual(again, events.slice(3), "derived from the stored items, the same every time");
    const refused = await fixture.request("GET", `/v1/responses/${created.id}?stream=true&starting_after=-4`);
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as { error: { param: string } }).error.param, "starting_after");
  } finally {
    await fixture.close();
  }
});
