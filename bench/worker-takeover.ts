// How long a run waits after its worker is killed (SIGKILL, mid tool call) until another worker
// resumes it: from the kill to the `resumed` note the second worker writes. Real processes with
// the workers' default settings, the machine's Redis and PostgreSQL, a fake model in this
// process. Half the trials kill a worker that runs under another host name (its own UTS
// namespace), so the taker cannot check its pid and must wait for its lease.
import { resolveSettings } from "../src/config/resolve-settings.js";
import { BullmqExecutor } from "../src/queue/bullmq-executor.js";
import { createQueuedRun } from "../src/queue/create-queued-run.js";
import { PostgresRunStore } from "../src/store/postgres-run-store.js";
import { toolResults } from "../test/support/conversation.js";
import { startFakeOpenAIServer } from "../test/support/fake-openai-server.js";
import { queueTestPlace, spawnWorker, waitFor, type CommandProcess } from "../test/queue/queue-test-support.js";
import { formatMs, median } from "./statistics.js";

const trialsPerPlace = 4;

async function ready(worker: CommandProcess): Promise<void> {
  await waitFor("a worker to be ready", () => (worker.stderr().includes("ready") ? true : undefined));
}

export async function benchWorkerTakeover(): Promise<void> {
  // Each run calls a tool that sleeps long enough to be killed in, then answers.
  const model = await startFakeOpenAIServer((body) =>
    toolResults(body).length === 0
      ? { toolCalls: [{ name: "python", arguments: JSON.stringify({ code: "import time; time.sleep(3); print('slept')" }) }] }
      : { text: "done" },
  );
  const place = queueTestPlace(model.baseURL);
  const store = new PostgresRunStore({ url: place.env.DATABASE_URL as string, schema: place.env.PONDER_DATABASE_SCHEMA as string });
  const executor = new BullmqExecutor({ redisUrl: place.env.REDIS_URL as string, queueName: place.queueName });
  const workers: CommandProcess[] = [];
  const times = { "same host": [] as number[], "another host": [] as number[] };
  try {
    const settings = resolveSettings({}, place.env, process.cwd());
    for (let trial = 0; trial < 2 * trialsPerPlace; trial++) {
      const where = trial % 2 === 0 ? "same host" : "another host";
      const holder = spawnWorker([], place.env, where === "another host" ? { host: "ponder-bench-other-host" } : {});
      workers.push(holder);
      await ready(holder);
      const run = await createQueuedRun(store, settings, `Sleep in a tool (trial ${trial}).`);
      await executor.submit(run.id);
      await waitFor("the worker to take the run", () => (holder.stderr().includes(`run ${run.id}: taken`) ? true : undefined));
      const other = spawnWorker([], place.env);
      workers.push(other);
      await ready(other);
      await waitFor("the tool call to start", async () =>
        (await store.listItems(run.id)).some((stored) => stored.item.type === "function_call") ? true : undefined,
      );
      holder.child.kill("SIGKILL");
      const killedAt = performance.now();
      await waitFor(
        "another worker to resume the run",
        async () =>
          (await store.listItems(run.id)).some((stored) => stored.item.type === "note" && stored.item.kind === "resumed")
            ? true
            : undefined,
        120_000,
      );
      times[where].push(performance.now() - killedAt);
      await waitFor("the run to finish", async () => ((await store.getRun(run.id))?.status === "completed" ? true : undefined), 60_000);
      other.child.kill("SIGTERM");
      await other.exited;
    }
    process.stdout.write(
      `\n# Worker takeover (SIGKILL mid tool call → resumed on another worker; default lock; ${trialsPerPlace} trials each)\n`,
    );
    for (const [host, values] of Object.entries(times))
      process.stdout.write(
        `killed worker on ${host.padEnd(12)} p50 ${formatMs(median(values))}, max ${formatMs(Math.max(...values))} (target ≤ 2,000 ms)\n`,
      );
  } finally {
    for (const worker of workers) worker.child.kill("SIGKILL");
    await executor.close();
    await store.close();
    await place.cleanup();
    await model.close();
  }
}
