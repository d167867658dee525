import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openResponseEventLog, type ResponseEventLog } from "../../src/server/response-event-log.js";
import { PostgresRunStore } from "../../src/store/postgres-run-store.js";
import type { RunStore } from "../../src/store/run-store.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { temporarySchema, testDatabaseUrl } from "../store/contract-postgres-schema.js";
import { temporaryHome } from "../support/temporary-home.js";

// The recorded streams of background responses, in both stores' databases (the real PostgreSQL).

async function contract(store: RunStore): Promise<void> {
  const log = openResponseEventLog(store) as ResponseEventLog;
  try {
    const event = (sequence: number) => ({
      sequence,
      json: JSON.stringify({ type: "response.output_text.delta", sequence_number: sequence }),
    });
    assert.equal(await log.recorded("run_a"), false);
    await log.append("run_a", [event(0), event(1), event(2)]);
    // A batch written twice (a retried write) keeps the first copy, once.
    await log.append("run_a", [event(2), event(3)]);
    await log.append("run_b", [event(0)]);
    assert.equal(await log.recorded("run_a"), true);
    assert.deepEqual(
      (await log.read("run_a", -1)).map((recorded) => recorded.sequence),
      [0, 1, 2, 3],
    );
    assert.deepEqual(await log.read("run_a", 1), [event(2), event(3)]);
    await log.remove("run_a");
    assert.equal(await log.recorded("run_a"), false);
    assert.deepEqual(await log.read("run_b", -1), [event(0)]);
  } finally {
    await log.close();
  }
}

test("SQLite: events appended in batches are read back in order after a sequence number; removed with the response", async () => {
  const home = temporaryHome();
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  try {
    await contract(store);
  } finally {
    await store.close();
    home.remove();
  }
});

test("PostgreSQL: the same, in the store's schema", async () => {
  const schema = temporarySchema();
  const store = new PostgresRunStore({ url: testDatabaseUrl, schema: schema.name });
  try {
    await store.listRuns({ limit: 1 });
    await contract(store);
  } finally {
    await store.close();
    await schema.drop();
  }
});

test("an in-memory store has no log: nothing outside this process could read it", async () => {
  const memory = new SqliteRunStore(":memory:");
  assert.equal(openResponseEventLog(memory), undefined);
  await memory.close();
});
