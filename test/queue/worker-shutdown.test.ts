import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { resolveSettings } from "../../src/config/resolve-settings.js";
import { BullmqExecutor } from "../../src/queue/bullmq-executor.js";
import { createQueuedRun } from "../../src/queue/create-queued-run.js";
import { openRunControls } from "../../src/queue/open-run-controls.js";
import { PostgresRunStore } from "../../src/store/postgres-run-store.js";
import { startFakeOpenAIServer, type FakeTurn, type RequestBody } from "../support/fake-openai-server.js";
import { toolResults } from "../support/conversation.js";
import { queueTestPlace, spawnWorker, waitFor, type CommandProcess } from "./queue-test-support.js";

const slowAppend = "import time; time.sleep(2); open('log.txt', 'a').write('A\\n'); print('A done')";

function script(body: RequestBody): FakeTurn {
  const results = toolResults(body);
  const entries: Record<string, unknown>[] = body.input ?? body.messages ?? [];
  const steered = JSON.stringify(entries.filter((entry) => entry.role === "user")).includes("STEER: be brief");
  if (results.length === 0) return { toolCalls: [{ name: "python", arguments: JSON.stringify({ code: slowAppend }) }] };
  return { text: `${steered ? "Steered. " : ""}Finished: ${results[0]?.trim()}` };
}

test("SIGTERM: the worker finishes the current step, puts the run back on the queue and exits; the next worker completes it", async () => {
  const server = await startFakeOpenAIServer(script);
  const place = queueTestPlace(server.baseURL);
  const store = new PostgresRunStore({ url: place.env.DATABASE_URL as string, schema: place.env.PONDER_DATABASE_SCHEMA as string });
  const executor = new BullmqExecutor({ redisUrl: place.env.REDIS_URL as string, queueName: place.queueName });
  const workers: CommandProcess[] = [];
  try {
    const first = spawnWorker([], place.env);
    workers.push(first);
    await waitFor("the first worker to be ready", () => (first.stderr().includes("ready") ? true : undefined));
    const run = await createQueuedRun(store, resolveSettings({}, place.env, process.cwd()), "Append once.");
    await executor.submit(run.id);
    await waitFor("the slow tool call to start", async () =>
      (await store.listItems(run.id)).some((stored) => stored.item.type === "function_call") ? true : undefined,
    );

    // Steering sent before the shutdown must survive it: either the first worker's loop never
    // took it, or it goes back to the controls for the next worker.
    const controls = openRunControls(store);
    await controls.steer(run.id, "STEER: be brief");
    await waitFor("the steering to be taken by the first worker", async () => {
      const result = await store.connection.query<{ open: string }>(
        `SELECT COUNT(*) AS open FROM ${store.connection.table("run_controls")} WHERE taken_at IS NULL`,
      );
      return result.rows[0]?.open === "0" ? true : undefined;
    });
    first.child.kill("SIGTERM");
    assert.equal(await first.exited, 0, first.stderr());
    const parked = await store.getRun(run.id);
    assert.equal(parked?.status, "queued", "the run went back to the queue");
    const types = (await store.listItems(run.id)).map((stored) => stored.item.type);
    assert.ok(types.includes("function_call_output"), "the step in progress finished and was saved first");
    assert.ok(!types.some((type, index) => type === "message" && index > 0), "no answer yet: the run stopped at the step boundary");
    assert.match(first.stderr(), /back on the queue/);

    const second = spawnWorker([], place.env);
    workers.push(second);
    const finished = await waitFor("the next worker to complete the run", async () => {
      const record = await store.getRun(run.id);
      return record?.status === "completed" ? record : undefined;
    });
    assert.match(finished.result?.answer ?? "", /^Steered\. Finished: A done/, "the steering reached the model after the handover");
    assert.equal(
      readFileSync(join(place.home, "runs", run.id, "workspace", "log.txt"), "utf8"),
      "A\n",
      "the finished call did not run again",
    );
  } finally {
    for (const worker of workers) worker.child.kill("SIGKILL");
    await Promise.all(workers.map((worker) => worker.exited));
    await executor.close();
    await store.close();
    await place.cleanup();
    await server.close();
  }
});
