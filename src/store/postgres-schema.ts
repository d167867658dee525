import type pg from "pg";
import { pendingMigrations, versionTableSql, type MigrationStep, type TableName } from "./schema-migrations.js";
import { logged, logger } from "../logging/logger.js";

const log = logger("store");

/** Schema names go into SQL text, so only plain identifiers are accepted. */
export function checkSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`"${schema}" is not a usable PostgreSQL schema name (lowercase letters, digits and _).`);
  }
  return schema;
}

/**
 * Brings the schema up to the latest version (schema-migrations.ts), in one transaction. The
 * advisory lock makes processes that start at the same moment (several workers) take turns: the
 * second finds the changes recorded and applies none.
 */
export async function migratePostgresSchema(pool: pg.Pool, schema: string): Promise<void> {
  const table = (name: string) => `"${checkSchemaName(schema)}".${name}`;
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`ponder-schema:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(versionTableSql(table));
    const current =
      (await client.query<{ version: number | null }>(`SELECT MAX(version) AS version FROM ${table("schema_migrations")}`)).rows[0]
        ?.version ?? 0;
    for (const migration of pendingMigrations(current, `The PostgreSQL schema "${schema}"`)) {
      for (const step of migration.postgres(table)) await applyStep(client, schema, table, step);
      await client.query(`INSERT INTO ${table("schema_migrations")} (version, change, applied_at) VALUES ($1, $2, $3)`, [
        migration.version,
        migration.change,
        new Date().toISOString(),
      ]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(logged(log, "warn", "ROLLBACK failed after a failed schema migration"));
    throw error;
  } finally {
    client.release();
  }
}

async function applyStep(client: pg.PoolClient, schema: string, table: TableName, step: MigrationStep): Promise<void> {
  if (typeof step === "string") {
    await client.query(step);
    return;
  }
  const { table: name, column, type, fill } = step.addColumn;
  const existing = await client.query(
    "SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = $3",
    [schema, name, column],
  );
  if (existing.rowCount !== 0) return;
  await client.query(`ALTER TABLE ${table(name)} ADD COLUMN ${column} ${type}`);
  if (fill) await client.query(fill);
}
