import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { RunTakenOverError } from "../../src/core/errors.js";
import type { RunRecord } from "../../src/core/run.js";
import { PostgresRunStore } from "../../src/store/postgres-run-store.js";
import type { RunStore, StoredItem } from "../../src/store/run-store.js";
import { latestSchemaVersion, migrations } from "../../src/store/schema-migrations.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { SqliteRunControls } from "../../src/queue/sqlite-run-controls.js";
import { temporaryHome } from "../support/temporary-home.js";
import { temporarySchema, testDatabaseUrl } from "./contract-postgres-schema.js";

// A database made by the Ponder of before the version table (its tables frozen in
// test/fixtures/schemas), holding a saved run, must upgrade in place and keep the run.
const fixtures = fileURLToPath(new URL("../../../test/fixtures/", import.meta.url));
type Fixture = { record: RunRecord; items: StoredItem[] };
const saved = JSON.parse(readFileSync(join(fixtures, "runs/v1-interrupted-mid-call.json"), "utf8")) as Fixture;
// The token the old store wrote into its owner_token column: the owner fence must still find it.
const record: RunRecord = {
  ...saved.record,
  owner: { ...(saved.record.owner as NonNullable<RunRecord["owner"]>), token: "owner-before-upgrade" },
};
const oldRows = {
  run: [record.id, record.parentId ?? null, record.status, record.createdAt, JSON.stringify(record), null, "owner-before-upgrade"],
  items: saved.items.map((stored) => [record.id, stored.seq, stored.step, stored.createdAt, JSON.stringify(stored.item)]),
};

async function assertKeepsTheRun(store: RunStore): Promise<void> {
  assert.deepEqual(await store.getRun(record.id), record);
  assert.deepEqual(await store.listItems(record.id), saved.items);
  assert.equal((await store.listRuns({ tenant: "someone" })).length, 0, "old runs have no tenant");
  await assert.rejects(
    store.appendItems(record.id, 1, [], { ...record, owner: { ...record.owner!, token: "new" } }, undefined, {
      expectedToken: "someone-else",
    }),
    RunTakenOverError,
  );
  const [appended] = await store.appendItems(
    record.id,
    1,
    [{ type: "note", id: "note_after_upgrade", kind: "info", text: "after" }],
    { ...record, owner: { ...record.owner!, token: "new" } },
    undefined,
    { expectedToken: "owner-before-upgrade" },
  );
  assert.equal(appended?.seq, saved.items.length);
}

test("a SQLite database of the schema before migrations upgrades in place, keeping its runs, and records each change once", async () => {
  const home = temporaryHome();
  const path = join(home.path, "ponder.db");
  try {
    const old = new Database(path);
    old.pragma("journal_mode = WAL");
    old.exec(readFileSync(join(fixtures, "schemas/sqlite-before-migrations.sql"), "utf8"));
    old
      .prepare("INSERT INTO runs (id, parent_id, status, created_at, record, tenant, owner_token) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run(...oldRows.run);
    for (const row of oldRows.items)
      old.prepare("INSERT INTO items (run_id, seq, step, created_at, item) VALUES (?, ?, ?, ?, ?)").run(...row);
    old.close();

    const store = new SqliteRunStore(path);
    await assertKeepsTheRun(store);
    await store.close();
    // Opened again (the store and the run controls on the same file): nothing applied twice.
    const controls = new SqliteRunControls(path);
    await controls.close();
    const reopened = new SqliteRunStore(path);
    await reopened.close();
    const check = new Database(path, { readonly: true });
    const versions = check.prepare<[], { version: number }>("SELECT version FROM schema_migrations ORDER BY version").all();
    check.close();
    assert.deepEqual(
      versions.map((row) => row.version),
      migrations.map((migration) => migration.version),
    );
  } finally {
    home.remove();
  }
});

test("a PostgreSQL schema of the schema before migrations upgrades in place, once even when several processes open it at the same moment", async () => {
  const schema = temporarySchema();
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    await client.query(readFileSync(join(fixtures, "schemas/postgres-before-migrations.sql"), "utf8").replaceAll("{schema}", schema.name));
    const [id, parentId, status, createdAt, json, tenant] = oldRows.run;
    await client.query(
      `INSERT INTO "${schema.name}".runs (id, parent_id, status, created_at, record, tenant) VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, parentId, status, createdAt, json, tenant],
    );
    for (const row of oldRows.items)
      await client.query(`INSERT INTO "${schema.name}".items (run_id, seq, step, created_at, item) VALUES ($1, $2, $3, $4, $5)`, row);

    const stores = [1, 2, 3].map(() => new PostgresRunStore({ url: testDatabaseUrl, schema: schema.name }));
    try {
      await Promise.all(stores.map((store) => store.getRun(record.id)));
      await assertKeepsTheRun(stores[0] as PostgresRunStore);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
    const versions = await client.query<{ version: number }>(`SELECT version FROM "${schema.name}".schema_migrations ORDER BY version`);
    assert.deepEqual(
      versions.rows.map((row) => row.version),
      migrations.map((migration) => migration.version),
    );
  } finally {
    await client.end();
    await schema.drop();
  }
});

test("a database that a newer Ponder migrated is refused with what to do, not written with an older idea of its tables", async () => {
  const home = temporaryHome();
  const path = join(home.path, "ponder.db");
  try {
    await new SqliteRunStore(path).close();
    const newer = new Database(path);
    newer
      .prepare("INSERT INTO schema_migrations (version, change, applied_at) VALUES (?, 'from the future', '')")
      .run(latestSchemaVersion + 1);
    newer.close();
    assert.throws(() => new SqliteRunStore(path), /newer than this Ponder knows.*Upgrade Ponder/);
  } finally {
    home.remove();
  }
});
