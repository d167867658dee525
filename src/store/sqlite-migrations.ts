import type Database from "better-sqlite3";
import { pendingMigrations, versionTableSql, type MigrationStep } from "./schema-migrations.js";

const bare = (table: string) => table;

/**
 * Brings a SQLite database up to the latest schema (schema-migrations.ts), in one IMMEDIATE
 * transaction: it takes the write lock before looking, so two processes opening the file at once
 * apply each change once, the second waiting (busy_timeout) and then finding nothing to do.
 */
export function migrateSqlite(database: Database.Database, path: string): void {
  database
    .transaction(() => {
      database.exec(versionTableSql(bare));
      const current = database.prepare<[], number | null>("SELECT MAX(version) FROM schema_migrations").pluck().get() ?? 0;
      const record = database.prepare("INSERT INTO schema_migrations (version, change, applied_at) VALUES (?, ?, ?)");
      for (const migration of pendingMigrations(current, path)) {
        for (const step of migration.sqlite(bare)) applyStep(database, step);
        record.run(migration.version, migration.change, new Date().toISOString());
      }
    })
    .immediate();
}

function applyStep(database: Database.Database, step: MigrationStep): void {
  if (typeof step === "string") {
    database.exec(step);
    return;
  }
  const { table, column, type, fill } = step.addColumn;
  const columns = database.prepare<[], { name: string }>(`PRAGMA table_info(${table})`).all();
  if (columns.some((existing) => existing.name === column)) return;
  database.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
  if (fill) database.exec(fill);
}
