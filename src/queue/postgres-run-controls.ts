import type { PostgresConnection } from "../store/postgres-connection.js";
import {
  groupByRun,
  steerKind,
  toRequest,
  type ControlRequest,
  type RunControls,
  type SteerOptions,
  type StoredControl,
} from "./run-controls.js";

/** Run controls in the PostgreSQL store's schema; shares the store's pool, which the store closes. */
export class PostgresRunControls implements RunControls {
  constructor(private readonly connection: PostgresConnection) {}

  async steer(runId: string, text: string, options?: SteerOptions): Promise<void> {
    await this.insert(runId, steerKind(options), text);
  }

  async cancel(runId: string): Promise<void> {
    await this.insert(runId, "cancel", null);
  }

  async take(runId: string): Promise<ControlRequest[]> {
    // One statement: two processes polling the same run cannot both take a request.
    const result = await this.connection.query<{ id: string; kind: string; text: string | null }>(
      `UPDATE ${this.connection.table("run_controls")} SET taken_at = $2 WHERE run_id = $1 AND taken_at IS NULL RETURNING id, kind, text`,
      [runId, new Date().toISOString()],
    );
    return result.rows.sort((left, right) => Number(left.id) - Number(right.id)).map(toRequest);
  }

  async takeMany(runIds: readonly string[]): Promise<Map<string, ControlRequest[]>> {
    if (runIds.length === 0) return new Map();
    // One statement: two processes polling the same run cannot both take a request (the second
    // UPDATE waits for the first's row locks, then finds taken_at set and skips the row).
    const result = await this.connection.query<StoredControl & { id: string; run_id: string }>(
      `UPDATE ${this.connection.table("run_controls")} SET taken_at = $2 WHERE run_id = ANY($1) AND taken_at IS NULL RETURNING id, run_id, kind, text`,
      [runIds, new Date().toISOString()],
    );
    return groupByRun(result.rows);
  }

  async close(): Promise<void> {}

  private async insert(runId: string, kind: "steer" | "interrupt" | "cancel", text: string | null): Promise<void> {
    await this.connection.query(
      `INSERT INTO ${this.connection.table("run_controls")} (run_id, kind, text, created_at) VALUES ($1, $2, $3, $4)`,
      [runId, kind, text, new Date().toISOString()],
    );
  }
}
