import { test } from "node:test";
import assert from "node:assert/strict";
import { toolResults } from "../support/conversation.js";
import type { FakeTurn, RequestBody } from "../support/fake-openai-server.js";
import { eventually, readEvents, startServerFixture, type ServerFixture } from "./server-fixture.js";

type RunJson = {
  id: string;
  status: string;
  answer: string | null;
  items: { seq: number; item: { type: string; output?: string; error_kind?: string } }[];
};

async function json<T = RunJson>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

async function finished(fixture: ServerFixture, id: string): Promise<RunJson> {
  return eventually(
    () => fixture.request("GET", `/v1/runs/${id}`).then((response) => json(response)),
    (run) => ["completed", "failed", "cancelled", "awaiting_approval"].includes(run.status),
  );
}

test("create, get and list runs: newest first, filtered by status; bad bodies are 400", async () => {
  const fixture = await startServerFixture((body) => ({ text: JSON.stringify(body).includes("question-alpha") ? "one" : "two" }));
  try {
    const first = await json(
      await fixture.request("POST", "/v1/runs", { body: { input: "question-alpha", effort: "low", budget: { maxSteps: 3 } } }),
    );
    assert.equal((await finished(fixture, first.id)).answer, "one");
    const second = await fixture.request("POST", "/v1/runs", { body: { input: "question-beta", model: "ponder/openai:gpt-5-mini" } });
    assert.equal(second.status, 201);
    const secondRun = await finished(fixture, (await json(second)).id);
    assert.equal(secondRun.answer, "two");
    assert.deepEqual(
      secondRun.items.map((stored) => stored.seq),
      secondRun.items.map((_, index) => index),
    );
    const list = await json<{ data: { id: string }[] }>(await fixture.request("GET", "/v1/runs?status=completed"));
    assert.deepEqual(
      list.data.map((run) => run.id),
      [secondRun.id, first.id],
    );
    assert.equal((await json<{ data: unknown[] }>(await fixture.request("GET", "/v1/runs?status=failed"))).data.length, 0);
    type Page = { data: { id: string }[]; first_id: string | null; last_id: string | null; has_more: boolean };
    const firstPage = await json<Page>(await fixture.request("GET", "/v1/runs?limit=1"));
    assert.deepEqual(firstPage, { ...firstPage, first_id: secondRun.id, last_id: secondRun.id, has_more: true });
    assert.deepEqual(
      firstPage.data.map((run) => run.id),
      [secondRun.id],
    );
    const nextPage = await json<Page>(await fixture.request("GET", `/v1/runs?limit=1&after=${firstPage.last_id}`));
    assert.deepEqual(
      nextPage.data.map((run) => run.id),
      [first.id],
    );
    assert.equal(nextPage.has_more, false);
    const unknownAnchor = await fixture.request("GET", "/v1/runs?after=run_not_stored");
    assert.equal(unknownAnchor.status, 400);
    assert.equal((await json<{ error: { param: string } }>(unknownAnchor)).error.param, "after");

    const bad = await fixture.request("POST", "/v1/runs", { body: { input: "x", budget: { maxSteps: -1 } } });
    assert.equal(bad.status, 400);
    assert.equal((await json<{ error: { param: string } }>(bad)).error.param, "budget.maxSteps");
    assert.equal((await fixture.request("POST", "/v1/runs", { body: { input: "x", colour: "blue" } })).status, 400);
    assert.equal((await fixture.request("GET", "/v1/runs?status=sleeping")).status, 400);
    assert.equal((await fixture.request("GET", "/v1/nothing")).status, 404);
  } finally {
    await fixture.close();
  }
});

test("events: stored items with their seq as SSE id, live events, and Last-Event-ID resumes", async () => {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const fixture = await startServerFixture(async (body: RequestBody): Promise<FakeTurn> => {
    if (toolResults(body).length === 0) {
      await gate;
      return { text: "Checking.", toolCalls: [{ name: "no_such_tool", arguments: "{}" }] };
    }
    return { text: "Done." };
  });
  try {
    const run = await json(await fixture.request("POST", "/v1/runs", { body: { input: "work" } }));
    const streaming = fixture.request("GET", `/v1/runs/${run.id}/events`);
    const response = await streaming;
    release();
    const events = await readEvents(response);
    const items = events.filter((event) => event.event === "item");
    assert.deepEqual(
      items.map((event) => Number(event.id)),
      items.map((_, index) => index),
      "every item once, in order, with its seq",
    );
    assert.ok(events.some((event) => event.event === "status-changed"));
    assert.deepEqual(JSON.parse(events.at(-1)?.data ?? "{}"), { status: "completed" });

    const stored = await finished(fixture, run.id);
    const resumed = await readEvents(await fixture.request("GET", `/v1/runs/${run.id}/events`, { headers: { "Last-Event-ID": "2" } }));
    assert.deepEqual(
      resumed.filter((event) => event.event === "item").map((event) => Number(event.id)),
      stored.items.map((entry) => entry.seq).filter((seq) => seq > 2),
    );
  } finally {
    await fixture.close();
  }
});

test("steer reaches the model at the next step; cancel stops a live run", async () => {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const fixture = await startServerFixture(async (body: RequestBody): Promise<FakeTurn> => {
    const text = JSON.stringify(body);
    if (text.includes("sleep forever")) return { delayMs: 30_000, text: "never" };
    if (toolResults(body).length === 0) {
      await gate;
      return { toolCalls: [{ name: "no_such_tool", arguments: "{}" }] };
    }
    return { text: text.includes("Use base 7") ? "Steered." : "Not steered." };
  });
  try {
    const run = await json(await fixture.request("POST", "/v1/runs", { body: { input: "count" } }));
    const steer = await fixture.request("POST", `/v1/runs/${run.id}/steer`, { body: { message: "Use base 7" } });
    assert.equal(steer.status, 202);
    release();
    assert.equal((await finished(fixture, run.id)).answer, "Steered.");
    assert.equal((await fixture.request("POST", `/v1/runs/${run.id}/steer`, { body: { message: "late" } })).status, 409);
    assert.equal((await fixture.request("POST", `/v1/runs/${run.id}/steer`, { body: {} })).status, 400);

    const sleeper = await json(await fixture.request("POST", "/v1/runs", { body: { input: "sleep forever" } }));
    await eventually(
      () => fixture.request("GET", `/v1/runs/${sleeper.id}`).then((response) => json(response)),
      (current) => current.status === "running",
    );
    const cancelled = await json(await fixture.request("POST", `/v1/runs/${sleeper.id}/cancel`));
    assert.equal(cancelled.status, "cancelled");
    assert.equal((await fixture.request("POST", `/v1/runs/${sleeper.id}/cancel`)).status, 409);
  } finally {
    await fixture.close();
  }
});

test("approve and deny: a run waits for approval, continues after the decision, and a denied call never runs", async () => {
  const fixture = await startServerFixture(
    (body: RequestBody): FakeTurn => {
      const results = toolResults(body);
      if (results.length === 0) return { toolCalls: [{ name: "list_files", arguments: "{}" }] };
      return { text: `Tool said: ${results[0]?.slice(0, 40)}` };
    },
    { config: { policy: { tools: { list_files: "ask" } } } },
  );
  try {
    for (const decision of ["approve", "deny"] as const) {
      const run = await json(await fixture.request("POST", "/v1/runs", { body: { input: `please ${decision}` } }));
      const waiting = await finished(fixture, run.id);
      assert.equal(waiting.status, "awaiting_approval");
      assert.equal((await fixture.request("POST", `/v1/runs/${run.id}/${decision}`, { body: { call_id: "call_nope" } })).status, 400);
      const decided = await fixture.request("POST", `/v1/runs/${run.id}/${decision}`, { body: { reason: "test" } });
      assert.equal(decided.status, 200);
      const done = await finished(fixture, run.id);
      assert.equal(done.status, "completed");
      const output = done.items.find((stored) => stored.item.type === "function_call_output")?.item;
      if (decision === "deny") assert.equal(output?.error_kind, "denied");
      else assert.notEqual(output?.error_kind, "denied");
      assert.equal((await fixture.request("POST", `/v1/runs/${run.id}/${decision}`)).status, 409, "nothing waits any more");
    }
  } finally {
    await fixture.close();
  }
});

test("POST /v1/runs with images: the model sees them; a bad image URL is a 400 naming it", async () => {
  const pixel = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
  const fixture = await startServerFixture(() => ({ text: "One pixel." }));
  try {
    const run = await json(await fixture.request("POST", "/v1/runs", { body: { input: "Describe it.", images: [pixel] } }));
    assert.equal((await finished(fixture, run.id)).answer, "One pixel.");
    assert.ok(JSON.stringify(fixture.model.requests[0]?.body).includes(pixel.slice(40, 90)));
    const bad = await fixture.request("POST", "/v1/runs", { body: { input: "Describe it.", images: ["file:///etc/passwd"] } });
    assert.equal(bad.status, 400);
    assert.equal((await json<{ error: { param: string } }>(bad)).error.param, "images.0.image_url");
  } finally {
    await fixture.close();
  }
});
