import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { ConversationBusyError } from "../../src/core/errors.js";
import { emptyUsage } from "../../src/core/budget.js";
import { runSchemaVersion, type RunRecord } from "../../src/core/run.js";
import { PostgresRunStore } from "../../src/store/postgres-run-store.js";
import type { RunStore } from "../../src/store/run-store.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { temporaryHome } from "../support/temporary-home.js";
import { temporarySchema, testDatabaseUrl } from "./contract-postgres-schema.js";

// A conversation's turns in both stores: found through an index, and one follow-up per turn
// (the unique index on previous_run_id), also in a database that had forked before the change.
const fixtures = fileURLToPath(new URL("../../../test/fixtures/", import.meta.url));

function turn(id: string, createdAt: string, previousRunId?: string): RunRecord {
  return {
    schemaVersion: runSchemaVersion,
    id,
    ...(previousRunId ? { conversationId: "run_first", previousRunId } : {}),
    status: "completed",
    spec: { model: "scripted:x", input: `question of ${id}`, effort: "medium", budget: {}, tools: [] },
    createdAt,
    updatedAt: createdAt,
    usage: emptyUsage(),
  };
}

async function assertOneFollowUpPerTurn(store: RunStore): Promise<void> {
  await store.createRun(turn("run_first", "2026-12-07T10:00:00.000Z"));
  await store.createRun(turn("run_second", "2026-12-07T10:01:00.000Z", "run_first"));
  await assert.rejects(
    store.createRun(turn("run_fork", "2026-12-07T10:01:00.001Z", "run_first")),
    (error: unknown) => error instanceof ConversationBusyError && error.code === "conversation_busy" && error.runId === "run_first",
  );
  assert.equal(await store.getRun("run_fork"), undefined, "the refused follow-up is not stored");
  await store.createRun(turn("run_third", "2026-12-07T10:02:00.000Z", "run_second"));
  assert.deepEqual(
    (await store.listRuns({ conversationId: "run_first" })).map((run) => run.id),
    ["run_third", "run_second"],
  );
}

test("SQLite: a second follow-up of one turn is refused with ConversationBusyError; the turns are found through the index", async () => {
  const home = temporaryHome();
  const path = join(home.path, "ponder.db");
  try {
    const store = new SqliteRunStore(path);
    await assertOneFollowUpPerTurn(store);
    await store.close();
    const database = new Database(path, { readonly: true });
    const plan = database
      .prepare<[], { detail: string }>(
        "EXPLAIN QUERY PLAN SELECT record FROM runs WHERE conversation_id = 'run_first' ORDER BY created_at DESC, id DESC",
      )
      .all();
    database.close();
    assert.ok(
      plan.some((row) => row.detail.includes("runs_conversation")),
      JSON.stringify(plan),
    );
  } finally {
    home.remove();
  }
});

test("PostgreSQL: a second follow-up of one turn is refused with ConversationBusyError; the turns are found through the index", async () => {
  const schema = temporarySchema();
  const store = new PostgresRunStore({ url: testDatabaseUrl, schema: schema.name });
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    await assertOneFollowUpPerTurn(store);
    // A handful of rows: the planner is told to prefer indexes, as it would for a big table.
    await client.query("SET enable_seqscan = off");
    const plan = await client.query<{ "QUERY PLAN": string }>(
      `EXPLAIN SELECT record FROM "${schema.name}".runs WHERE conversation_id = 'run_first' ORDER BY created_at DESC, id DESC`,
    );
    assert.ok(
      plan.rows.some((row) => row["QUERY PLAN"].includes("runs_conversation")),
      JSON.stringify(plan.rows),
    );
  } finally {
    await client.end();
    await store.close();
    await schema.drop();
  }
});

// Before the unique index, two follow-ups of one turn could both be stored: the earliest keeps
// its place in the line, the records stay as they were, and the index holds from then on.
const forked = [
  turn("run_first", "2026-12-07T10:00:00.000Z"),
  turn("run_later_fork", "2026-12-07T10:01:00.500Z", "run_first"),
  turn("run_early_fork", "2026-12-07T10:01:00.000Z", "run_first"),
];

async function assertForkUpgraded(store: RunStore, previousRunIds: () => Promise<Record<string, string | null>>): Promise<void> {
  for (const record of forked) assert.deepEqual(await store.getRun(record.id), record);
  assert.deepEqual(await previousRunIds(), { run_first: null, run_early_fork: "run_first", run_later_fork: null });
  assert.deepEqual(
    (await store.listRuns({ conversationId: "run_first" })).map((run) => run.id),
    ["run_later_fork", "run_early_fork"],
  );
  await assert.rejects(store.createRun(turn("run_new_fork", "2026-12-07T11:00:00.000Z", "run_first")), ConversationBusyError);
}

test("a SQLite database whose conversation forked before the change upgrades: the earliest follow-up keeps its place", async () => {
  const home = temporaryHome();
  const path = join(home.path, "ponder.db");
  try {
    const old = new Database(path);
    old.exec(readFileSync(join(fixtures, "schemas/sqlite-before-migrations.sql"), "utf8"));
    for (const record of forked)
      old
        .prepare("INSERT INTO runs (id, parent_id, status, created_at, record) VALUES (?, NULL, ?, ?, ?)")
        .run(record.id, record.status, record.createdAt, JSON.stringify(record));
    old.close();
    const store = new SqliteRunStore(path);
    try {
      await assertForkUpgraded(store, async () => {
        const database = new Database(path, { readonly: true });
        const rows = database
          .prepare<[], { id: string; previous: string | null }>("SELECT id, previous_run_id AS previous FROM runs")
          .all();
        database.close();
        return Object.fromEntries(rows.map((row) => [row.id, row.previous]));
      });
    } finally {
      await store.close();
    }
  } finally {
    home.remove();
  }
});

test("a PostgreSQL schema whose conversation forked before the change upgrades: the earliest follow-up keeps its place", async () => {
  const schema = temporarySchema();
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    await client.query(readFileSync(join(fixtures, "schemas/postgres-before-migrations.sql"), "utf8").replaceAll("{schema}", schema.name));
    for (const record of forked)
      await client.query(`INSERT INTO "${schema.name}".runs (id, parent_id, status, created_at, record) VALUES ($1, NULL, $2, $3, $4)`, [
        record.id,
        record.status,
        record.createdAt,
        JSON.stringify(record),
      ]);
    const store = new PostgresRunStore({ url: testDatabaseUrl, schema: schema.name });
    try {
      await assertForkUpgraded(store, async () => {
        const rows = await client.query<{ id: string; previous: string | null }>(
          `SELECT id, previous_run_id AS previous FROM "${schema.name}".runs`,
        );
        return Object.fromEntries(rows.rows.map((row) => [row.id, row.previous]));
      });
    } finally {
      await store.close();
    }
  } finally {
    await client.end();
    await schema.drop();
  }
});
