import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { recoverRuns } from "../../src/queue/recover-runs.js";
import type { Executor } from "../../src/queue/executor.js";
import { PostgresRunStore } from "../../src/store/postgres-run-store.js";
import { temporarySchema, testDatabaseUrl } from "../store/contract-postgres-schema.js";
import { record } from "../store/run-store-contract.js";

/** Records what it is handed; the runs themselves are not the point here. */
class RecordingExecutor implements Executor {
  readonly submitted: string[] = [];
  async submit(runId: string): Promise<void> {
    this.submitted.push(runId);
  }
  async close(): Promise<void> {}
}

test("after a restart, queued runs and runs whose process died are handed to the executor, nothing else", async () => {
  const schema = temporarySchema();
  const store = new PostgresRunStore({ url: testDatabaseUrl, schema: schema.name });
  try {
    // A process that has exited: its pid is (for the moment) nobody's.
    const deadPid = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
    const owner = (pid: number) => ({ owner: { pid, host: hostname(), heartbeatAt: new Date().toISOString() } });
    await store.createRun(record("run_queued", "2026-01-01T00:00:00.000Z"));
    await store.createRun(record("run_dead", "2026-01-02T00:00:00.000Z", "running", owner(Number(deadPid))));
    await store.createRun(record("run_alive", "2026-01-03T00:00:00.000Z", "running", owner(process.pid)));
    await store.createRun(record("run_done", "2026-01-04T00:00:00.000Z", "completed"));
    await store.createRun(
      record("run_parent", "2026-01-05T00:00:00.000Z", "queued", {
        spec: { ...record("x", "").spec, strategy: { name: "best-of-n", settings: {} } },
      }),
    );
    const executor = new RecordingExecutor();
    assert.deepEqual(await recoverRuns(store, executor), ["run_queued", "run_dead"]);
    assert.deepEqual(executor.submitted, ["run_queued", "run_dead"]);
  } finally {
    await store.close();
    await schema.drop();
  }
});
