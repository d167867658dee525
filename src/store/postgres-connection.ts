import type pg from "pg";
import { createRequire } from "node:module";

// Loaded when a PostgreSQL store is opened, not by every command that might open a store.
const loadPg = () => createRequire(import.meta.url)("pg") as typeof pg;
import { checkSchemaName, migratePostgresSchema } from "./postgres-schema.js";
import { postgresFailure } from "./store-unavailable.js";
import { logged, logger } from "../logging/logger.js";

const log = logger("store");

/**
 * A name per statement text, so each pooled connection parses and plans a statement once and
 * then only binds it: the checkpoint's statement took twice the server's CPU when sent unnamed.
 * The texts are a fixed set (table names and optional parts), so the map stays small.
 */
const statementNames = new Map<string, string>();

function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) statementNames.set(sql, (name = `ponder_${statementNames.size + 1}`));
  return name;
}

export type PostgresOptions = {
  /** A `postgres://` URL (DATABASE_URL). */
  url: string;
  /** The schema holding Ponder's tables; default `ponder`. */
  schema?: string;
  /** Connections kept open; a worker needs few, a server under load more. */
  maxConnections?: number;
};

/**
 * A pool on one Ponder schema, migrated before the first query. Construction is synchronous so
 * a store can be opened where a SQLite store is opened today; the first query waits for the
 * migration instead.
 */
export class PostgresConnection {
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly ready: Promise<void>;

  constructor(options: PostgresOptions) {
    this.schema = checkSchemaName(options.schema ?? "ponder");
    this.pool = new (loadPg().Pool)({ connectionString: options.url, max: options.maxConnections ?? 4 });
    // An idle client that loses its server (database restart) must not crash the process.
    this.pool.on("error", () => undefined);
    // The first connection is where an unreachable server or a wrong URL shows: said plainly.
    this.ready = migratePostgresSchema(this.pool, this.schema).catch((error: unknown) => {
      throw postgresFailure(error, options.url);
    });
    // Callers see a migration failure on their first query; do not also report it as unhandled.
    this.ready.catch(() => undefined);
  }

  /** A table's qualified name, for SQL text. */
  table(name: "runs" | "items" | "steps" | "run_controls" | "response_events"): string {
    return `"${this.schema}".${name}`;
  }

  async query<Row extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<pg.QueryResult<Row>> {
    await this.ready;
    return this.pool.query<Row>({ name: statementName(sql), text: sql, values });
  }

  /** Runs `work` in one transaction on one connection; rolls back when it throws. */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.ready;
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(logged(log, "warn", "ROLLBACK failed after a failed transaction"));
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    // A failed migration was already reported to every query; closing need not report it again.
    await this.ready.catch(() => undefined);
    await this.pool.end();
  }
}
