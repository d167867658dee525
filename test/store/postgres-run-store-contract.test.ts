import { test } from "node:test";
import assert from "node:assert/strict";
import { ConversationBusyError } from "../../src/core/errors.js";
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

test("postgres: runs created at once are stored by one statement; a refused one fails alone", async () => {
  const schema = temporarySchema();
  const store = new PostgresRunStore({ url: testDatabaseUrl, schema: schema.name });
  try {
    await store.createRun(record("run_turn", "2026-01-01T00:00:00.000Z", "completed"));
    const statements: string[] = [];
    const query = store.connection.query.bind(store.connection);
    store.connection.query = ((sql: string, values?: unknown[]) => {
      statements.push(sql);
      return query(sql, values);
    }) as typeof store.connection.query;
    const at = (index: number) => `2026-01-01T00:00:01.${String(index).padStart(3, "0")}Z`;
    const many = Array.from({ length: 30 }, (_, index) => record(`run_${index}`, at(index), "queued"));
    await Promise.all(many.map((run) => store.createRun(run)));
    assert.equal(statements.length, 1, "one statement for the 30 runs");
    assert.deepEqual(await store.getRun("run_7"), many[7]);

    // Two follow-ups of one turn and an id already taken, among runs that are fine.
    statements.length = 0;
    const followUp = (id: string, index: number) => ({
      ...record(id, at(100 + index), "queued"),
      conversationId: "run_turn",
      previousRunId: "run_turn",
    });
    const outcomes = await Promise.allSettled([
      store.createRun(record("run_fine_a", at(200), "queued")),
      store.createRun(followUp("run_follow_a", 1)),
      store.createRun(followUp("run_follow_b", 2)),
      store.createRun(record("run_7", at(201), "queued")),
      store.createRun(record("run_fine_b", at(202), "queued")),
    ]);
    assert.deepEqual(
      outcomes.map((outcome) => outcome.status),
      ["fulfilled", "fulfilled", "rejected", "rejected", "fulfilled"],
    );
    const refused = outcomes[2] as PromiseRejectedResult;
    assert.ok(refused.reason instanceof ConversationBusyError, String(refused.reason));
    assert.match(String((outcomes[3] as PromiseRejectedResult).reason), /duplicate key/);
    for (const id of ["run_fine_a", "run_follow_a", "run_fine_b"]) assert.equal((await store.getRun(id))?.id, id);
    assert.equal(await store.getRun("run_follow_b"), undefined, "the refused follow-up is not stored");
    assert.equal((await store.getRun("run_7"))?.createdAt, at(7), "the run already stored is left as it was");
  } finally {
    await store.close();
    await schema.drop();
  }
});
