import { test } from "node:test";
import assert from "node:assert/strict";
import { hostname } from "node:os";
import { openRunControls } from "../../src/queue/open-run-controls.js";
import { advanceStoredRun } from "../../src/queue/run-advancer.js";
import { PostgresRunStore } from "../../src/store/postgres-run-store.js";
import { temporarySchema, testDatabaseUrl } from "../store/contract-postgres-schema.js";
import { record } from "../store/run-store-contract.js";

test("a run advanced by a live process is left alone; a missing run is named", async () => {
  const schema = temporarySchema();
  const store = new PostgresRunStore({ url: testDatabaseUrl, schema: schema.name });
  const controls = openRunControls(store);
  try {
    const owner = { pid: process.pid, host: hostname(), heartbeatAt: new Date().toISOString() };
    await store.createRun(record("run_owned", "2026-01-01T00:00:00.000Z", "running", { owner }));
    assert.deepEqual(await advanceStoredRun("run_owned", { store, controls }, () => false), { kind: "busy" });
    assert.equal((await store.getRun("run_owned"))?.status, "running", "untouched");
    await assert.rejects(
      advanceStoredRun("run_missing", { store, controls }, () => false),
      /run_missing/,
    );
  } finally {
    await controls.close();
    await store.close();
    await schema.drop();
  }
});
