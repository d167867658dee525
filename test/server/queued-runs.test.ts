import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveSettings } from "../../src/config/resolve-settings.js";
import { createQueuedRun } from "../../src/queue/create-queued-run.js";
import { startPonderServer } from "../../src/server/ponder-server.js";
import { openRunStore } from "../../src/store/open-run-store.js";
import { startFakeOpenAIServer } from "../support/fake-openai-server.js";
import { queueTestPlace, spawnWorker, waitFor } from "../queue/queue-test-support.js";
import { readEvents } from "./server-fixture.js";

test("with REDIS_URL, runs created over HTTP are queued for a worker and their events polled from the store", async () => {
  const model = await startFakeOpenAIServer(() => ({ text: "Answered by a worker." }));
  const place = queueTestPlace(model.baseURL);
  // A run queued before the server starts: recovery hands it to the workers' queue.
  const settings = resolveSettings({}, place.env, place.home);
  const earlyStore = openRunStore(settings);
  const early = await createQueuedRun(earlyStore, settings, "Queued before the server started.");
  await earlyStore.close();
  const server = await startPonderServer({ port: 0, host: "127.0.0.1", env: place.env, cwd: place.home });
  const worker = spawnWorker([], place.env);
  const request = (method: string, path: string, body?: unknown) =>
    fetch(`${server.url}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });
  try {
    const created = await request("POST", "/v1/runs", { input: "Answer through the queue." });
    assert.equal(created.status, 201);
    const run = (await created.json()) as { id: string; status: string };
    assert.equal(run.status, "queued", "the server stores the run and leaves it to the workers");

    const events = await readEvents(await request("GET", `/v1/runs/${run.id}/events`));
    const items = events
      .filter((event) => event.event === "item")
      .map((event) => JSON.parse(event.data) as { seq: number; item: { type: string; role?: string } });
    assert.deepEqual(
      items.map((stored) => stored.item.role ?? stored.item.type),
      ["user", "assistant"],
      "the stream polls the store until the worker finishes",
    );
    assert.deepEqual(JSON.parse(events.at(-1)?.data ?? "{}"), { status: "completed" });
    assert.equal(events.at(-1)?.event, "done");

    const background = await request("POST", "/v1/responses", { model: "ponder", input: "Answer in the background.", background: true });
    assert.equal(background.status, 200);
    const response = (await background.json()) as { id: string; status: string };
    assert.equal(response.status, "queued");
    const finished = await waitFor("the background response to complete", async () => {
      const current = (await (await request("GET", `/v1/responses/${response.id}`)).json()) as {
        status: string;
        output: { type: string; content?: { text?: string }[] }[];
      };
      return current.status === "completed" ? current : undefined;
    });
    const message = finished.output.find((item) => item.type === "message");
    assert.equal(message?.content?.[0]?.text, "Answered by a worker.");

    await waitFor("the run queued before the start to complete", async () => {
      const current = (await (await request("GET", `/v1/runs/${early.id}`)).json()) as { status: string };
      return current.status === "completed" ? true : undefined;
    });
  } finally {
    worker.child.kill("SIGTERM");
    await worker.exited;
    await server.close();
    await model.close();
    await place.cleanup();
  }
});
