// Dispatch throughput on Redis: N no-op runs (stored runs with nothing left to do) submitted to
// the BullMQ queue and taken by a worker that reads each run from PostgreSQL and finishes its
// job, against bare BullMQ (the same jobs, an empty processor) measured in the same run. Both
// in this process, so the ratio is what Ponder adds per run: its job options and one store read.
import { Queue, Worker } from "bullmq";
import { randomBytes } from "node:crypto";
import { emptyUsage } from "../src/core/budget.js";
import { runSchemaVersion, type RunRecord } from "../src/core/run.js";
import { BullmqExecutor } from "../src/queue/bullmq-executor.js";
import { redisConnection, runJobOptions } from "../src/queue/bullmq-connection.js";
import { openRunControls } from "../src/queue/open-run-controls.js";
import { RunWorker } from "../src/queue/run-worker.js";
import { PostgresRunStore } from "../src/store/postgres-run-store.js";
import { temporarySchema, testDatabaseUrl } from "../test/store/contract-postgres-schema.js";
import { testRedisUrl } from "../test/queue/queue-test-support.js";

const runs = 5_000;
const concurrency = 100;
const submitBatch = 200;

function noOpRun(index: number): RunRecord {
  const now = new Date().toISOString();
  const spec = { model: "scripted:bench", input: `no-op ${index}`, effort: "low" as const, budget: {}, tools: [] };
  return {
    schemaVersion: runSchemaVersion,
    id: `run_bench_${index}_${randomBytes(4).toString("hex")}`,
    status: "completed",
    spec,
    createdAt: now,
    updatedAt: now,
    finishedAt: now,
    usage: emptyUsage(),
  };
}

/** Jobs not yet finished; finished jobs are removed (as Ponder's job options say). */
async function unfinished(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts("wait", "active", "delayed", "prioritized");
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

/** Submits every id in batches of concurrent adds, then waits until all are completed. */
async function dispatch(
  ids: string[],
  submit: (id: string) => Promise<unknown>,
  queue: Queue,
): Promise<{ submitMs: number; totalMs: number }> {
  const started = performance.now();
  for (let index = 0; index < ids.length; index += submitBatch) await Promise.all(ids.slice(index, index + submitBatch).map(submit));
  const submitMs = performance.now() - started;
  while ((await unfinished(queue)) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  return { submitMs, totalMs: performance.now() - started };
}

function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString("en")} runs/s`;
}

export async function benchQueueDispatch(): Promise<void> {
  const schema = temporarySchema("ponder_bench_dispatch");
  const store = new PostgresRunStore({ url: testDatabaseUrl, schema: schema.name });
  const controls = openRunControls(store);
  const ponderQueueName = `ponder-bench-${randomBytes(4).toString("hex")}`;
  const bareQueueName = `bare-bench-${randomBytes(4).toString("hex")}`;
  const connection = redisConnection(testRedisUrl);
  const executor = new BullmqExecutor({ redisUrl: testRedisUrl, queueName: ponderQueueName });
  const bareQueue = new Queue(bareQueueName, { connection });
  const ponderWorker = new RunWorker({ redisUrl: testRedisUrl, queueName: ponderQueueName, environment: { store, controls }, concurrency });
  const bareWorker = new Worker(bareQueueName, async () => "completed", { connection: redisConnection(testRedisUrl), concurrency });
  try {
    const records = Array.from({ length: runs }, (_, index) => noOpRun(index));
    for (let index = 0; index < records.length; index += submitBatch)
      await Promise.all(records.slice(index, index + submitBatch).map((record) => store.createRun(record)));
    await ponderWorker.ready();
    await bareWorker.waitUntilReady();
    const bare = await dispatch(
      records.map((record) => record.id),
      (id) => bareQueue.add("run", { runId: id }, { ...runJobOptions, jobId: id }),
      bareQueue,
    );
    const ponder = await dispatch(
      records.map((record) => record.id),
      (id) => executor.submit(id),
      executor.queue,
    );
    process.stdout.write(
      `\n# Queue dispatch on Redis (${runs.toLocaleString("en")} no-op runs, worker concurrency ${concurrency}, one process)\n`,
    );
    process.stdout.write(`bare BullMQ  submit ${rate(runs, bare.submitMs)}, submit→all done ${rate(runs, bare.totalMs)}\n`);
    process.stdout.write(
      `ponder       submit ${rate(runs, ponder.submitMs)}, submit→all done ${rate(runs, ponder.totalMs)} (target ≥ 2,000 runs/s); ${(ponder.totalMs / bare.totalMs).toFixed(2)}× bare BullMQ's time\n`,
    );
  } finally {
    await ponderWorker.drain();
    await bareWorker.close();
    await executor.queue.obliterate({ force: true });
    await bareQueue.obliterate({ force: true });
    await executor.close();
    await bareQueue.close();
    connection.disconnect();
    await controls.close();
    await store.close();
    await schema.drop();
  }
}
