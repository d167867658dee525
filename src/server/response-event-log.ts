import Database from "better-sqlite3";
import type { PostgresConnection } from "../store/postgres-connection.js";
import { PostgresRunStore } from "../store/postgres-run-store.js";
import type { RunStore } from "../store/run-store.js";
import { SqliteRunStore } from "../store/sqlite-run-store.js";
import { migrateSqlite } from "../store/sqlite-migrations.js";

/** One recorded event of a response's stream: its sequence number and the JSON the client was sent. */
export type RecordedEvent = { sequence: number; json: string };

/**
 * The event streams of background responses, kept in the store's database so that any server
 * sharing it can resume one (`GET /v1/responses/{id}?stream=true&starting_after=N`) with exactly
 * the events, and sequence numbers, the live stream sent.
 */
export interface ResponseEventLog {
  append(responseId: string, events: readonly RecordedEvent[]): Promise<void>;
  /** The events after `after`, in order. */
  read(responseId: string, after: number): Promise<RecordedEvent[]>;
  /** Whether the response's stream was recorded (it is a background response). */
  recorded(responseId: string): Promise<boolean>;
  remove(responseId: string): Promise<void>;
  close(): Promise<void>;
}

/** The log in the store's database; undefined for an in-memory store (no other server could read it). */
export function openResponseEventLog(store: RunStore): ResponseEventLog | undefined {
  if (store instanceof PostgresRunStore) return new PostgresResponseEventLog(store.connection);
  if (store instanceof SqliteRunStore && store.path !== ":memory:") return new SqliteResponseEventLog(store.path);
  return undefined;
}

/** Its own connection to the embedded store's file (WAL), as the run controls have. */
class SqliteResponseEventLog implements ResponseEventLog {
  private readonly database: Database.Database;
  private readonly insert: Database.Statement<[string, number, string]>;
  private readonly select: Database.Statement<[string, number], { sequence: number; json: string }>;

  constructor(path: string) {
    this.database = new Database(path);
    this.database.pragma("journal_mode = WAL");
    this.database.pragma("busy_timeout = 5000");
    migrateSqlite(this.database, path);
    this.insert = this.database.prepare("INSERT OR IGNORE INTO response_events (response_id, sequence_number, event) VALUES (?, ?, ?)");
    this.select = this.database.prepare(
      "SELECT sequence_number AS sequence, event AS json FROM response_events WHERE response_id = ? AND sequence_number > ? ORDER BY sequence_number",
    );
  }

  async append(responseId: string, events: readonly RecordedEvent[]): Promise<void> {
    this.database.transaction(() => {
      for (const event of events) this.insert.run(responseId, event.sequence, event.json);
    })();
  }

  async read(responseId: string, after: number): Promise<RecordedEvent[]> {
    return this.select.all(responseId, after);
  }

  async recorded(responseId: string): Promise<boolean> {
    return this.database.prepare("SELECT 1 FROM response_events WHERE response_id = ? LIMIT 1").get(responseId) !== undefined;
  }

  async remove(responseId: string): Promise<void> {
    this.database.prepare("DELETE FROM response_events WHERE response_id = ?").run(responseId);
  }

  async close(): Promise<void> {
    this.database.close();
  }
}

/** In the PostgreSQL store's schema, over its pool (which the store closes). */
class PostgresResponseEventLog implements ResponseEventLog {
  constructor(private readonly connection: PostgresConnection) {}

  async append(responseId: string, events: readonly RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    // One statement for the batch: unnest pairs the two arrays row by row.
    await this.connection.query(
      `INSERT INTO ${this.connection.table("response_events")} (response_id, sequence_number, event)
       SELECT $1, sequence_number, event FROM unnest($2::int[], $3::text[]) AS batch(sequence_number, event)
       ON CONFLICT DO NOTHING`,
      [responseId, events.map((event) => event.sequence), events.map((event) => event.json)],
    );
  }

  async read(responseId: string, after: number): Promise<RecordedEvent[]> {
    const result = await this.connection.query<{ sequence: number; json: string }>(
      `SELECT sequence_number AS sequence, event AS json FROM ${this.connection.table("response_events")}
       WHERE response_id = $1 AND sequence_number > $2 ORDER BY sequence_number`,
      [responseId, after],
    );
    return result.rows;
  }

  async recorded(responseId: string): Promise<boolean> {
    const result = await this.connection.query(`SELECT 1 FROM ${this.connection.table("response_events")} WHERE response_id = $1 LIMIT 1`, [
      responseId,
    ]);
    return result.rows.length > 0;
  }

  async remove(responseId: string): Promise<void> {
    await this.connection.query(`DELETE FROM ${this.connection.table("response_events")} WHERE response_id = $1`, [responseId]);
  }

  async close(): Promise<void> {}
}
