import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { resolveSettings } from "../../src/config/resolve-settings.js";
import { BullmqExecutor } from "../../src/queue/bullmq-executor.js";
import { createQueuedRun } from "../../src/queue/create-queued-run.js";
import { PostgresRunStore } from "../../src/store/postgres-run-store.js";
import { startFakeOpenAIServer, type FakeTurn, type RequestBody } from "../support/fake-openai-server.js";
import { toolResults } from "../support/conversation.js";
import { queueTestPlace, spawnWorker, waitFor, type CommandProcess } from "./queue-test-support.js";

// Two Python calls that append to a file in the run's workspace, then an answer. The second call
// says it started (a file) and waits for the test to release it (another file), so its worker can
// be killed or frozen while it runs, however slow the machine.
const appendA = "open('log.txt', 'a').write('A\\n'); print('A done')";
const appendB = [
  "import os, time",
  "open('b-started', 'w').close()",
  "while not os.path.exists('b-release'): time.sleep(0.05)",
  "open('log.txt', 'a').write('B\\n'); print('B done')",
].join("\n");

function script(body: RequestBody): FakeTurn {
  const results = toolResults(body);
  if (results.length === 0) return { toolCalls: [{ name: "python", arguments: JSON.stringify({ code: appendA }) }] };
  if (results.length === 1) return { toolCalls: [{ name: "python", arguments: JSON.stringify({ code: appendB }) }] };
  return { text: `Both steps ran: ${results.map((result) => result.trim()).join(", ")}.` };
}

type Scene = {
  place: ReturnType<typeof queueTestPlace>;
  store: PostgresRunStore;
  runId: string;
  first: CommandProcess;
  second: CommandProcess;
  /** Each call's number of outputs in the run's log. */
  outputsPerCall(): Promise<number[]>;
  /** The run's workspace, where the second call's files are. */
  workspace: string;
};

/**
 * Two workers and one run: the first worker (under `firstHost`, another machine to the second,
 * when given) has taken the run and is inside its second tool call when `body` starts.
 */
async function withRunMidCall(firstHost: string | undefined, body: (scene: Scene) => Promise<void>): Promise<void> {
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
    const workspace = join(place.home, "runs", run.id, "workspace");
    await waitFor("the second tool call to start", () => (existsSync(join(workspace, "b-started")) ? true : undefined));
    const outputsPerCall = async () => {
      const counts = new Map<string, number>();
      for (const { item } of await store.listItems(run.id))
        if (item.type === "function_call_output") counts.set(item.call_id, (counts.get(item.call_id) ?? 0) + 1);
      return [...counts.values()];
    };
    await body({ place, store, runId: run.id, first, second, outputsPerCall, workspace });
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
}

async function completed(store: PostgresRunStore, runId: string) {
  return waitFor("the run to complete", async () => {
    const record = await store.getRun(runId);
    return record?.status === "completed" ? record : undefined;
  });
}

/**
 * The first worker is killed in the middle of its tool call; the second resumes the run. Python
 * does not declare repeating safe: the interrupted call is not run again, and the model is told
 * its outcome is unknown.
 */
function killFirstWorkerMidRun(firstHost?: string): Promise<void> {
  return withRunMidCall(firstHost, async ({ store, runId, first, second, outputsPerCall, workspace }) => {
    first.child.kill("SIGKILL");
    await first.exited;
    const finished = await completed(store, runId);
    assert.ok(second.stderr().includes(`run ${runId}: taken`), second.stderr());
    assert.deepEqual(await outputsPerCall(), [1, 1], "one output per call");
    const kinds = (await store.listItems(runId)).flatMap(({ item }) =>
      item.type === "function_call_output" ? [item.error_kind ?? "ok"] : [],
    );
    assert.deepEqual(kinds, ["ok", "unknown_outcome"], "B was in flight: reported with its outcome unknown");
    assert.match(finished.result?.answer ?? "", /A done[\s\S]*effects are unknown/);
    assert.equal(readFileSync(join(workspace, "log.txt"), "utf8"), "A\n", "A ran once; B died with its worker and was not run again");
    assert.ok((await store.listItems(runId)).some(({ item }) => item.type === "note" && item.kind === "resumed"));
    if (firstHost) assert.notEqual(finished.owner?.host ?? "", firstHost, "the second worker, on another host, finished it");
  });
}

test("a worker killed with SIGKILL mid-run: another worker resumes the run; no call runs twice", () => killFirstWorkerMidRun());

test("a worker on another host killed mid-run: its run moves on once its lease runs out; no call runs twice", () =>
  killFirstWorkerMidRun("ponder-other-host"));

test("a worker frozen past its lease loses the run: the other worker finishes it, and the frozen one, woken, writes nothing", () =>
  // On another host to the second worker, so only its lease says whether it is alive.
  withRunMidCall("ponder-frozen-host", async ({ store, runId, first: frozen, second, outputsPerCall, workspace }) => {
    frozen.child.kill("SIGSTOP");
    await waitFor("the second worker to take the run over", async () =>
      (await store.listItems(runId)).some(({ item }) => item.type === "note" && item.kind === "resumed") ? true : undefined,
    );
    // The frozen worker's sandbox still runs: B finishes, and its output is then the first thing
    // the woken worker tries to write.
    writeFileSync(join(workspace, "b-release"), "");
    await waitFor("B to finish in the frozen worker's sandbox", () =>
      existsSync(join(workspace, "log.txt")) && readFileSync(join(workspace, "log.txt"), "utf8").includes("B") ? true : undefined,
    );
    frozen.child.kill("SIGCONT");
    const finished = await completed(store, runId);
    // Both workers are done with the run: each logged its outcome (the woken one's tool output was refused).
    const letGo = (worker: CommandProcess) =>
      new RegExp(`"msg":"run ${runId}: (completed|failed|cancelled|running|paused|awaiting_approval)"`).test(worker.stderr());
    await waitFor("both workers to let the run go", () => (letGo(frozen) && letGo(second) ? true : undefined));
    assert.ok(
      (await outputsPerCall()).every((count) => count === 1),
      `one output per call: ${JSON.stringify(await outputsPerCall())}`,
    );
    const items = (await store.listItems(runId)).map((stored) => stored.item);
    assert.equal(items.filter((item) => item.type === "message" && item.role === "assistant").length, 1, "one answer");
    assert.equal((await store.getRun(runId))?.updatedAt, finished.updatedAt, "nothing changed the run after it finished");
    assert.doesNotMatch(frozen.stderr(), /failed/);
  }));
