import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PostgresRunStore } from "../../src/store/postgres-run-store.js";
import type { RunStore } from "../../src/store/run-store.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { temporarySchema, testDatabaseUrl } from "../store/contract-postgres-schema.js";

/** A database the controls tests open several stores (connections) on. */
export type ControlsPlace = { open: () => RunStore; remove: () => Promise<void> };

/** The two stores that keep controls: a SQLite file and a PostgreSQL schema of the test's own. */
export const controlsPlaces: Record<string, () => ControlsPlace> = {
  sqlite: () => {
    const directory = mkdtempSync(join(tmpdir(), "ponder-controls-"));
    return {
      open: () => new SqliteRunStore(join(directory, "ponder.db")),
      remove: async () => rmSync(directory, { recursive: true, force: true }),
    };
  },
  postgres: () => {
    const schema = temporarySchema();
    return { open: () => new PostgresRunStore({ url: testDatabaseUrl, schema: schema.name }), remove: schema.drop };
  },
};

/**
 * Counts the statements a PostgreSQL store's connection sends from now on (every one of them,
 * so a poll that fell back to a statement per run would show); undefined for SQLite.
 */
export function countStatements(store: RunStore): (() => number) | undefined {
  if (!(store instanceof PostgresRunStore)) return undefined;
  const connection = store.connection;
  const query = connection.query.bind(connection);
  let count = 0;
  connection.query = ((...args: Parameters<typeof query>) => {
    count++;
    return query(...args);
  }) as typeof connection.query;
  return () => count;
}
