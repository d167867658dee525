// Each list filter is answered from an index in the list's order (created_at DESC, id DESC), so a
// page costs O(limit) whatever the history: the query plans of both stores show it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import Database from "better-sqlite3";
import { PostgresRunStore } from "../../src/store/postgres-run-store.js";
import { runListQuery } from "../../src/store/run-listing.js";
import type { RunFilter } from "../../src/store/run-store.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { temporaryHome } from "../support/temporary-home.js";
import { temporarySchema, testDatabaseUrl } from "./contract-postgres-schema.js";

const filters: [RunFilter, string][] = [
  [{}, "runs_newest"],
  [{ topLevel: true }, "runs_newest_top_level"],
  [{ status: "failed" }, "runs_by_status"],
  [{ parentId: "run_parent" }, "runs_by_parent"],
  [{ tenant: "acme" }, "runs_by_tenant"],
  [{ tenant: "acme", topLevel: true }, "runs_by_tenant_top_level"],
  [{ tenant: "acme", status: "failed" }, "runs_by_tenant_status"],
  [{ after: "run_000100" }, "runs_newest"],
  [{ topLevel: true, after: "run_000100" }, "runs_newest_top_level"],
];

test("SQLite: every list filter reads its index in order, with no sort of the matching runs", async () => {
  const home = temporaryHome();
  const path = join(home.path, "ponder.db");
  try {
    await new SqliteRunStore(path).close();
    const database = new Database(path, { readonly: true });
    try {
      for (const [filter, index] of filters) {
        const { sql, values } = runListQuery({ ...filter, limit: 20 }, "runs", () => "?");
        const plan = database
          .prepare<(string | number)[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
          .all(...values)
          .map((row) => row.detail);
        const main = plan[0] ?? "";
        assert.match(main, new RegExp(`USING INDEX ${index}\\b`), `${JSON.stringify(filter)}: ${plan.join(" | ")}`);
        assert.ok(!plan.some((line) => line.includes("TEMP B-TREE")), `${JSON.stringify(filter)} sorts: ${plan.join(" | ")}`);
      }
    } finally {
      database.close();
    }
  } finally {
    home.remove();
  }
});

test("PostgreSQL: every list filter reads its index backward, with no sort and no scan of the table", async () => {
  const schema = temporarySchema();
  const store = new PostgresRunStore({ url: testDatabaseUrl, schema: schema.name });
  const runs = store.connection.table("runs");
  try {
    // Enough runs, of every kind, that the planner weighs a scan of the table against the index.
    await store.connection.query(
      `INSERT INTO ${runs} (id, parent_id, tenant, status, created_at, record)
       SELECT 'run_' || lpad(n::text, 6, '0'),
              CASE WHEN n % 5 = 0 THEN 'run_parent' END,
              CASE WHEN n % 3 = 0 THEN 'acme' END,
              CASE WHEN n % 97 = 0 THEN 'failed' ELSE 'completed' END,
              to_char(timestamp '2026-01-01' + n * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.000"Z"'),
              '{}'
       FROM generate_series(1, 20000) AS n`,
    );
    await store.connection.query(`ANALYZE ${runs}`);
    for (const [filter, index] of filters) {
      const { sql, values } = runListQuery({ ...filter, limit: 20 }, runs, (position) => `$${position}`);
      const plan = (await store.connection.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, values)).rows.map((row) => row["QUERY PLAN"]);
      const text = plan.join("\n");
      assert.match(text, new RegExp(`Index Scan Backward using ${index} on`), `${JSON.stringify(filter)}:\n${text}`);
      assert.doesNotMatch(text, /Sort|Seq Scan/, `${JSON.stringify(filter)}:\n${text}`);
    }
  } finally {
    await store.close();
    await schema.drop();
  }
});
