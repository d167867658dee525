import Database from "better-sqlite3";
import { migrateSqlite } from "../store/sqlite-migrations.js";
import {
  groupByRun,
  steerKind,
  toRequest,
  type ControlRequest,
  type RunControls,
  type SteerOptions,
  type StoredControl,
} from "./run-controls.js";

/** Run controls in the SQLite file of the embedded store (its own connection, same WAL database). */
export class SqliteRunControls implements RunControls {
  private readonly database: Database.Database;
  private readonly statements;

  constructor(path: string) {
    this.database = new Database(path);
    this.database.pragma("journal_mode = WAL");
    this.database.pragma("busy_timeout = 5000");
    // The store that shares this file made the table; applied again here in case this opens first.
    migrateSqlite(this.database, path);
    // Prepared once: a worker takes and polls for every run it advances.
    this.statements = {
      take: this.database.prepare<[string, string], StoredControl & { id: number }>(
        "UPDATE run_controls SET taken_at = ? WHERE run_id = ? AND taken_at IS NULL RETURNING id, kind, text",
      ),
      // The ids go in as one JSON array so the statement text (and its prepared form) is one
      // whatever the number of runs; SQLite's one writer at a time makes each take once.
      takeMany: this.database.prepare<[string, string], StoredControl & { id: number; run_id: string }>(
        "UPDATE run_controls SET taken_at = ? WHERE run_id IN (SELECT value FROM json_each(?)) AND taken_at IS NULL RETURNING id, run_id, kind, text",
      ),
      insert: this.database.prepare("INSERT INTO run_controls (run_id, kind, text, created_at) VALUES (?, ?, ?, ?)"),
    };
  }

  async steer(runId: string, text: string, options?: SteerOptions): Promise<void> {
    this.insert(runId, steerKind(options), text);
  }

  async cancel(runId: string): Promise<void> {
    this.insert(runId, "cancel", null);
  }

  async take(runId: string): Promise<ControlRequest[]> {
    const rows = this.statements.take.all(new Date().toISOString(), runId);
    return rows.sort((left, right) => left.id - right.id).map(toRequest);
  }

  async takeMany(runIds: readonly string[]): Promise<Map<string, ControlRequest[]>> {
    if (runIds.length === 0) return new Map();
    const rows = this.statements.takeMany.all(new Date().toISOString(), JSON.stringify(runIds));
    return groupByRun(rows);
  }

  async close(): Promise<void> {
    this.database.close();
  }

  private insert(runId: string, kind: "steer" | "interrupt" | "cancel", text: string | null): void {
    this.statements.insert.run(runId, kind, text, new Date().toISOString());
  }
}
