import { test } from "node:test";
import assert from "node:assert/strict";
import { PostgresRunStore } from "../../src/store/postgres-run-store.js";
import { temporarySchema, testDatabaseUrl } from "./contract-postgres-schema.js";
import { record, runStoreContract } from "./run-store-contract.js";

runStoreContract("postgres", async () => {
  const schema = temporarySchema();
  return { open: () => new PostgresRunStore({ url: testDatabaseUrl, schema: schema.name }), remove: schema.drop };
});

test("postgres: two processes appending to one run at once never keep the same item number, and lose no item", async () => {
  const schema = temporarySchema();
  // Two stores, two pools: as a worker and `ponder approve` on different machines.
  const first = new PostgresRunStore({ url: testDatabaseUrl, schema: schema.name });
  const second = new PostgresRunStore({ url: testDatabaseUrl, schema: schema.name });
  try {
    await first.createRun(record("run_shared", "2026-01-01T00:00:00.000Z", "running"));
    const note = (id: string) => ({ type: "note" as const, id, kind: "info" as const, text: id });
    const appends = [first, second].flatMap((store, which) =>
      Array.from({ length: 20 }, (_, index) =>
        store.appendItems(
          "run_shared",
          index,
          [note(`n${which}_${index}_a`), note(`n${which}_${index}_b`)],
          which === 0 ? record("run_shared", "2026-01-01T00:00:00.000Z", "running") : undefined,
        ),
      ),
    );
    const answered = (await Promise.all(appends)).flat();
    const stored = await first.listItems("run_shared");
    assert.deepEqual(
      stored.map((entry) => entry.seq),
      Array.from({ length: 80 }, (_, index) => index),
    );
    assert.deepEqual(new Set(stored.map((entry) => entry.item.id)).size, 80);
    // What each append answered is what was stored under those numbers.
    for (const entry of answered) assert.equal(stored[entry.seq]?.item.id, entry.item.id);
  } finally {
    await first.close();
    await second.close();
    await schema.drop();
  }
});
