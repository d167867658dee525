import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { resolveSettings } from "../../src/config/resolve-settings.js";
import { BullmqExecutor } from "../../src/queue/bullmq-executor.js";
import { createQueuedRun } from "../../src/queue/create-queued-run.js";
import { PostgresRunStore } from "../../src/store/postgres-run-store.js";
import { startFakeOpenAIServer, type FakeTurn, type RequestBody } from "../support/fake-openai-server.js";
import { toolResults } from "../support/conversation.js";
import { queueTestPlace, spawnWorker, waitFor, type CommandProcess } from "./queue-test-support.js";

// Two Python calls that append to a file in the run's workspace, then an answer; the second
// call sleeps, so its worker can be killed while it runs.
const appendA = "open('log.txt', 'a').write('A\\n'); print('A done')";
const appendB = "import time; time.sleep(2); open('log.txt', 'a').write('B\\n'); print('B done')";

function script(body: RequestBody): FakeTurn {
  const results = toolResults(body);
  if (results.length === 0) return { toolCalls: [{ name: "python", arguments: JSON.stringify({ code: appendA }) }] };
  if (results.length === 1) return { toolCalls: [{ name: "python", arguments: JSON.stringify({ code: appendB }) }] };
  return { text: `Both steps ran: ${results.map((result) => result.trim()).join(", ")}.` };
}

/** The first worker runs under `firstHost` (another machine, to the second) when given. */
async function killFirstWorkerMidRun(firstHost?: string): Promise<void> {
  const server = await startFakeOpenAIServer(script);
  const place = queueTestPlace(server.baseURL);
  const store = new PostgresRunStore({ url: place.env.DATABASE_URL as string, schema: place.env.PONDER_DATABASE_SCHEMA as string });
  const executor = new BullmqExecutor({ redisUrl: place.env.REDIS_URL as string, queueName: place.queueName });
  const workers: CommandProcess[] = [];
  try {
    const first = spawnWorker([], place.env, firstHost ? { host: firstHost } : {});
    workers.push(first);
    await waitFor("the first worker to be ready", () => (first.stderr().includes("ready") ? true : undefined));
    const run = await createQueuedRun(store, resolveSettings({}, place.env, process.cwd()), "Run both steps.");
    await executor.submit(run.id);
    await waitFor("the first worker to take the run", () => (first.stderr().includes(`run ${run.id}: taken`) ? true : undefined));
    const second = spawnWorker([], place.env);
    workers.push(second);
    await waitFor("the second worker to be ready", () => (second.stderr().includes("ready") ? true : undefined));

    await waitFor("the second tool call to start", async () => {
      const items = (await store.listItems(run.id)).map((stored) => stored.item.type);
      const calls = items.filter((type) => type === "function_call").length;
      const outputs = items.filter((type) => type === "function_call_output").length;
      return calls >= 2 && outputs === 1 ? true : undefined;
    });
    first.child.kill("SIGKILL");
    await first.exited;

    const finished = await waitFor("the run to complete on the second worker", async () => {
      const record = await store.getRun(run.id);
      return record?.status === "completed" ? record : undefined;
    });
    assert.match(finished.result?.answer ?? "", /A done[\s\S]*B done/);
    assert.ok(second.stderr().includes(`run ${run.id}: taken`), second.stderr());
    assert.equal(readFileSync(join(place.home, "runs", run.id, "workspace", "log.txt"), "utf8"), "A\nB\n", "A ran once; B ran to completion once");
    const items = (await store.listItems(run.id)).map((stored) => stored.item);
    const outputsByCall = new Map<string, number>();
    for (const item of items) if (item.type === "function_call_output") outputsByCall.set(item.call_id, (outputsByCall.get(item.call_id) ?? 0) + 1);
    assert.deepEqual([...outputsByCall.values()], [1, 1], "one output per call");
    assert.ok(items.some((item) => item.type === "note" && item.kind === "resumed"));
    if (firstHost) assert.notEqual(finished.owner?.host ?? "", firstHost, "the second worker, on another host, finished it");
  } finally {
    for (const worker of workers) worker.child.kill("SIGKILL");
    await Promise.all(workers.map((worker) => worker.exited));
    await executor.close();
    await store.close();
    await place.cleanup();
    await server.close();
  }
}

test("a worker killed with SIGKILL mid-run: another worker resumes the run and each finished call ran once", () => killFirstWorkerMidRun());

test("a worker on another host killed mid-run: its run moves on once its lease runs out, each finished call run once", () => killFirstWorkerMidRun("ponder-other-host"));

test("a worker frozen past its lease loses the run: the other worker finishes it, and the frozen one, woken, writes nothing", async () => {
  const server = await startFakeOpenAIServer(script);
  const place = queueTestPlace(server.baseURL);
  const store = new PostgresRunStore({ url: place.env.DATABASE_URL as string, schema: place.env.PONDER_DATABASE_SCHEMA as string });
  const executor = new BullmqExecutor({ redisUrl: place.env.REDIS_URL as string, queueName: place.queueName });
  const workers: CommandProcess[] = [];
  try {
    // On another host to the second worker, so only its lease says whether it is alive.
    const frozen = spawnWorker([], place.env, { host: "ponder-frozen-host" });
    workers.push(frozen);
    await waitFor("the first worker to be ready", () => (frozen.stderr().includes("ready") ? true : undefined));
    const run = await createQueuedRun(store, resolveSettings({}, place.env, process.cwd()), "Run both steps.");
    await executor.submit(run.id);
    await waitFor("the first worker to take the run", () => (frozen.stderr().includes(`run ${run.id}: taken`) ? true : undefined));
    const second = spawnWorker([], place.env);
    workers.push(second);
    await waitFor("the second worker to be ready", () => (second.stderr().includes("ready") ? true : undefined));
    await waitFor("the second tool call to start", async () => {
      const items = (await store.listItems(run.id)).map((stored) => stored.item.type);
      return items.filter((type) => type === "function_call").length >= 2 && items.filter((type) => type === "function_call_output").length === 1 ? true : undefined;
    });
    frozen.child.kill("SIGSTOP");
    await waitFor("the second worker to take the run over", async () => ((await store.listItems(run.id)).some((stored) => stored.item.type === "note" && stored.item.kind === "resumed") ? true : undefined));
    frozen.child.kill("SIGCONT");
    const finished = await waitFor("the run to complete", async () => {
      const record = await store.getRun(run.id);
      return record?.status === "completed" ? record : undefined;
    });
    // Both workers are done with the run: each logged its outcome (the woken one's tool output was refused).
    const letGo = (worker: CommandProcess) => worker.stderr().split(`run ${run.id}:`).length > 2;
    await waitFor("both workers to let the run go", () => (letGo(frozen) && letGo(second) ? true : undefined));
    const items = (await store.listItems(run.id)).map((stored) => stored.item);
    const outputsByCall = new Map<string, number>();
    for (const item of items) if (item.type === "function_call_output") outputsByCall.set(item.call_id, (outputsByCall.get(item.call_id) ?? 0) + 1);
    assert.ok([...outputsByCall.values()].every((count) => count === 1), `one output per call: ${JSON.stringify([...outputsByCall])}`);
    assert.equal(items.filter((item) => item.type === "message" && item.role === "assistant").length, 1, "one answer");
    assert.equal((await store.getRun(run.id))?.updatedAt, finished.updatedAt, "nothing changed the run after it finished");
    assert.doesNotMatch(frozen.stderr(), /failed/);
  } finally {
    for (const worker of workers) {
      worker.child.kill("SIGCONT");
      worker.child.kill("SIGKILL");
    }
    await Promise.all(workers.map((worker) => worker.exited));
    await executor.close();
    await store.close();
    await place.cleanup();
    await server.close();
  }
});
