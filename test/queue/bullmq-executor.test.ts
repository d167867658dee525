// Runs submitted together (a server answering many POST /v1/runs at once) reach the queue in one
// round trip, each exactly once: a run submitted twice is still one job.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { BullmqExecutor } from "../../src/queue/bullmq-executor.js";
import { testRedisUrl } from "./queue-test-support.js";

test("runs submitted at once are each one job on the queue, also when one is submitted twice", async () => {
  const executor = new BullmqExecutor({ redisUrl: testRedisUrl, queueName: `ponder-test-submit-${randomBytes(4).toString("hex")}` });
  try {
    const ids = Array.from({ length: 25 }, (_, index) => `run_submit_${index}`);
    await Promise.all([...ids, ids[3] as string].map((id) => executor.submit(id)));
    assert.equal(await executor.queue.count(), 25);
    const jobs = await Promise.all(ids.map((id) => executor.queue.getJob(id)));
    assert.deepEqual(
      jobs.map((job) => job?.data.runId),
      ids,
    );
    // Submitted again later, alone: still one job each.
    await executor.submit(ids[0] as string);
    assert.equal(await executor.queue.count(), 25);
  } finally {
    await executor.queue.obliterate({ force: true });
    await executor.close();
  }
});
