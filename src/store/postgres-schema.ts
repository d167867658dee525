import type pg from "pg";

/**
 * Tables of the PostgreSQL store, inside one schema (so several Ponder deployments, or parallel
 * test files, can share a database). Records and items are kept as JSON text, like the SQLite
 * store: jsonb would reject the NUL characters that tool output can contain. `COLLATE "C"`
 * makes ordering by id and timestamp byte-wise, the same as SQLite.
 */
function schemaSql(schema: string): string {
  return `
CREATE SCHEMA IF NOT EXISTS "${schema}";
CREATE TABLE IF NOT EXISTS "${schema}".runs (
  id TEXT COLLATE "C" PRIMARY KEY,
  parent_id TEXT,
  tenant TEXT,
  status TEXT NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_status ON "${schema}".runs (status, created_at);
CREATE INDEX IF NOT EXISTS runs_parent ON "${schema}".runs (parent_id);
CREATE INDEX IF NOT EXISTS runs_tenant ON "${schema}".runs (tenant, created_at);
CREATE TABLE IF NOT EXISTS "${schema}".items (
  run_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  step INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  item TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE TABLE IF NOT EXISTS "${schema}".steps (
  run_id TEXT NOT NULL,
  step INTEGER NOT NULL,
  usage TEXT NOT NULL,
  PRIMARY KEY (run_id, step)
);
CREATE TABLE IF NOT EXISTS "${schema}".run_controls (
  id BIGSERIAL PRIMARY KEY,
  run_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  text TEXT,
  created_at TEXT NOT NULL,
  taken_at TEXT
);
CREATE INDEX IF NOT EXISTS run_controls_open ON "${schema}".run_controls (run_id) WHERE taken_at IS NULL;
`;
}

/** Schema names go into SQL text, so only plain identifiers are accepted. */
export function checkSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`"${schema}" is not a usable PostgreSQL schema name (lowercase letters, digits and _).`);
  }
  return schema;
}

/**
 * Creates the tables when missing. The advisory lock makes processes that start at the same
 * moment (several workers) take turns: concurrent CREATE ... IF NOT EXISTS can still collide.
 */
export async function migratePostgresSchema(pool: pg.Pool, schema: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`ponder-schema:${schema}`]);
    await client.query(schemaSql(checkSchemaName(schema)));
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
