import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { startFakeOpenAIServer, type FakeTurn, type RequestBody } from "../support/fake-openai-server.js";
import { toolResults, userTexts } from "../support/conversation.js";
import { PostgresRunStore } from "../../src/store/postgres-run-store.js";
import { startPonderServer } from "../../src/server/ponder-server.js";
import { closedPort } from "../support/closed-port.js";
import { queueTestPlace, runCommand, spawnWorker, waitFor } from "./queue-test-support.js";

// The task names the behaviour: a quick answer, or a tool call that waits in the sandbox until
// the test writes a release file into the run's workspace (time to steer) or outlasts the test
// (to be cancelled).
const waitForRelease = "import os, time\nwhile not os.path.exists('release'): time.sleep(0.05)\nprint('released')";

function script(body: RequestBody): FakeTurn {
  const texts = userTexts(body);
  const steering = texts.find((text) => text.startsWith("STEER"));
  if (steering) return { text: `Steered by: ${steering}` };
  const results = toolResults(body);
  if (texts[0]?.includes("quick")) return { text: "Quick answer." };
  if (results.length === 0) return { toolCalls: [{ name: "python", arguments: JSON.stringify({ code: waitForRelease }) }] };
  return { text: "Done without steering." };
}

/** Whether the worker advancing the run has taken every steer and cancel request sent to it. */
async function controlsTaken(place: ReturnType<typeof queueTestPlace>, runId: string): Promise<true | undefined> {
  const client = new pg.Client({ connectionString: place.env.DATABASE_URL });
  await client.connect();
  try {
    const result = await client.query(
      `SELECT count(*)::int AS open FROM "${place.env.PONDER_DATABASE_SCHEMA}".run_controls WHERE run_id = $1 AND taken_at IS NULL`,
      [runId],
    );
    return result.rows[0].open === 0 ? true : undefined;
  } finally {
    await client.end();
  }
}

test("submit returns at once; a worker runs it; watch, steer and cancel work from other processes", async () => {
  const server = await startFakeOpenAIServer(script);
  const place = queueTestPlace(server.baseURL);
  const store = new PostgresRunStore({ url: place.env.DATABASE_URL as string, schema: place.env.PONDER_DATABASE_SCHEMA as string });
  const worker = spawnWorker(["--concurrency", "2"], place.env);
  try {
    await waitFor("the worker to be ready", () => (worker.stderr().includes("ready") ? true : undefined));

    const quick = await runCommand("submit", ["Give me a quick answer.", "--json"], place.env);
    assert.equal(quick.code, 0, quick.stderr);
    const submitted = JSON.parse(quick.stdout);
    assert.equal(submitted.status, "queued");
    assert.equal(submitted.executor, "queue");
    const watched = await runCommand("watch", [submitted.id, "--json"], place.env);
    assert.equal(watched.code, 0, watched.stderr);
    const lines = watched.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    assert.equal(lines.at(-1).status, "completed");
    assert.equal(lines.at(-1).answer, "Quick answer.");
    assert.ok(
      lines.some((line) => line.type === "message" && line.role === "assistant"),
      "items were printed as they arrived",
    );

    const slow = JSON.parse((await runCommand("submit", ["Sleep, then answer.", "--json"], place.env)).stdout);
    await waitFor("the slow tool call to start", async () =>
      (await store.listItems(slow.id)).some((stored) => stored.item.type === "function_call") ? true : undefined,
    );
    const steered = await runCommand("steer", [slow.id, "STEER: answer in French"], place.env);
    assert.equal(steered.code, 0, steered.stderr);
    // The loop reads steering at its next step: release the tool once the worker holds the message.
    await waitFor("the worker to take the steering", () => controlsTaken(place, slow.id));
    writeFileSync(join(place.home, "runs", slow.id, "workspace", "release"), "");
    const steeredRun = await waitFor("the steered run to finish", async () => {
      const record = await store.getRun(slow.id);
      return record?.status === "completed" ? record : undefined;
    });
    assert.equal(steeredRun.result?.answer, "Steered by: STEER: answer in French", "the message reached the model at the next step");

    const doomed = JSON.parse((await runCommand("submit", ["Sleep long so I can cancel you.", "--json"], place.env)).stdout);
    await waitFor("the long tool call to start", async () =>
      (await store.listItems(doomed.id)).some((stored) => stored.item.type === "function_call") ? true : undefined,
    );
    const cancelled = await runCommand("cancel", [doomed.id, "--json"], place.env);
    assert.equal(JSON.parse(cancelled.stdout).outcome, "requested");
    const watchedCancel = await runCommand("watch", [doomed.id], place.env);
    assert.equal(watchedCancel.code, 130, "watch reports the cancellation");
    assert.equal((await store.getRun(doomed.id))?.status, "cancelled");

    const late = await runCommand("steer", [doomed.id, "too late"], place.env);
    assert.equal(late.code, 1);
    assert.match(late.stderr, /cancelled/);
  } finally {
    worker.child.kill("SIGKILL");
    await worker.exited;
    await store.close();
    await place.cleanup();
    await server.close();
  }
});

test("without Redis, submit starts a detached background process that finishes the run", async () => {
  const server = await startFakeOpenAIServer(script);
  const place = queueTestPlace(server.baseURL);
  const { REDIS_URL: _redis, DATABASE_URL: _database, ...env } = place.env;
  try {
    const submitted = await runCommand("submit", ["A quick one, please.", "--json"], env);
    assert.equal(submitted.code, 0, submitted.stderr);
    const { id, executor } = JSON.parse(submitted.stdout);
    assert.equal(executor, "background");
    const watched = await runCommand("watch", [id], env);
    assert.equal(watched.code, 0, watched.stderr);
    assert.equal(watched.stdout, "Quick answer.\n");
  } finally {
    await place.cleanup();
    await server.close();
  }
});

test("a run cancelled while queued stays cancelled when a worker takes its job", async () => {
  const server = await startFakeOpenAIServer(script);
  const place = queueTestPlace(server.baseURL);
  const store = new PostgresRunStore({ url: place.env.DATABASE_URL as string, schema: place.env.PONDER_DATABASE_SCHEMA as string });
  let worker: ReturnType<typeof spawnWorker> | undefined;
  try {
    const { id } = JSON.parse((await runCommand("submit", ["A quick one that never runs.", "--json"], place.env)).stdout);
    const cancelled = await runCommand("cancel", [id, "--json"], place.env);
    assert.equal(JSON.parse(cancelled.stdout).outcome, "cancelled");
    const started = spawnWorker([], place.env);
    worker = started;
    await waitFor("the worker to take the job", () => (started.stderr().includes(`run ${id}: cancelled`) ? true : undefined));
    assert.equal((await store.getRun(id))?.status, "cancelled");
    assert.deepEqual(await store.listItems(id), [], "nothing ran");
    assert.equal(server.requests.length, 0, "the model was never called");
  } finally {
    worker?.child.kill("SIGKILL");
    await worker?.exited;
    await store.close();
    await place.cleanup();
    await server.close();
  }
});

test("an unreachable Redis is a clear error at once: submit stores nothing, worker and serve do not start", async () => {
  const server = await startFakeOpenAIServer(script);
  const place = queueTestPlace(server.baseURL);
  const env = { ...place.env, REDIS_URL: `redis://127.0.0.1:${await closedPort()}` };
  const store = new PostgresRunStore({ url: place.env.DATABASE_URL as string, schema: place.env.PONDER_DATABASE_SCHEMA as string });
  try {
    const submitted = await runCommand("submit", ["Nobody will take this.", "--json"], env);
    assert.notEqual(submitted.code, 0);
    assert.match(submitted.stderr, /Cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+\/? \(REDIS_URL\): connect ECONNREFUSED/);
    assert.deepEqual(await store.listRuns(), [], "no run waits in a queue nobody can reach");

    const worker = spawnWorker([], env);
    assert.notEqual(await worker.exited, 0);
    assert.match(worker.stderr(), /Cannot reach Redis/);
    assert.doesNotMatch(worker.stderr(), /at TCPConnectWrap/, "a message, not a stack trace");

    await assert.rejects(startPonderServer({ port: 0, env, cwd: place.home }), /Cannot reach Redis/);
  } finally {
    await store.close();
    await place.cleanup();
    await server.close();
  }
});
