import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveSettings } from "../../src/config/resolve-settings.js";
import { createQueuedRun } from "../../src/queue/create-queued-run.js";
import { startPonderServer } from "../../src/server/ponder-server.js";
import { openRunStore } from "../../src/store/open-run-store.js";
import { startFakeOpenAIServer } from "../support/fake-openai-server.js";
import { temporaryHome } from "../support/temporary-home.js";
import { waitFor } from "../queue/queue-test-support.js";
import { readEvents } from "./server-fixture.js";

test("without Redis, runs queued or orphaned before the server starts are completed after it starts", async () => {
  const model = await startFakeOpenAIServer(() => ({ text: "Recovered." }));
  const home = temporaryHome();
  const env = { PONDER_HOME: home.path, OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: model.baseURL, PONDER_MODEL: "openai:gpt-5-mini" };
  const settings = resolveSettings({}, env, home.path);
  const store = openRunStore(settings);
  const queued = await createQueuedRun(store, settings, "Queued while no server ran.");
  // A run marked running without an owner lost its process: recovery continues it too.
  const orphan = await createQueuedRun(store, settings, "Left running by a process that died.");
  await store.updateRun(orphan.id, { status: "running" });
  await store.close();
  const server = await startPonderServer({ port: 0, host: "127.0.0.1", env, cwd: home.path });
  const getRun = async (id: string) =>
    (await (await fetch(`${server.url}/v1/runs/${id}`)).json()) as { status: string; answer: string | null };
  try {
    const events = await readEvents(await fetch(`${server.url}/v1/runs/${queued.id}/events`));
    assert.deepEqual(JSON.parse(events.at(-1)?.data ?? "{}"), { status: "completed" }, "the stream follows the recovered run to its end");
    assert.equal((await getRun(queued.id)).answer, "Recovered.");
    const finished = await waitFor("the orphaned run to complete", async () => {
      const run = await getRun(orphan.id);
      return run.status === "completed" ? run : undefined;
    });
    assert.equal(finished.answer, "Recovered.");
  } finally {
    await server.close();
    await model.close();
    home.remove();
  }
});
