import type pg from "pg";
import type { Item } from "../core/items.js";
import type { RunRecord, StepUsage } from "../core/run.js";
import { ConversationBusyError, RunNotFoundError, RunTakenOverError } from "../core/errors.js";
import type { OwnerFence, RunFilter, RunPatch, RunStore, StoredItem } from "./run-store.js";
import { runListQuery } from "./run-listing.js";
import { upgradeRunRecord } from "./run-record-upgrade.js";
import { PostgresConnection, type PostgresOptions } from "./postgres-connection.js";

type ItemRow = { seq: number; step: number; created_at: string; item: string };

/**
 * The shared store: many processes on many machines (servers, workers, the CLI) read and write
 * the same runs. Each checkpoint is one transaction; item sequence numbers are allocated under
 * a per-run advisory lock, so two processes appending to one run (a worker and `ponder approve`)
 * never take the same number.
 */
export class PostgresRunStore implements RunStore {
  readonly connection: PostgresConnection;

  constructor(options: PostgresOptions | PostgresConnection) {
    this.connection = options instanceof PostgresConnection ? options : new PostgresConnection(options);
  }

  private get runs(): string {
    return this.connection.table("runs");
  }

  async createRun(record: RunRecord): Promise<void> {
    await this.connection
      .query(
        `INSERT INTO ${this.runs} (id, parent_id, tenant, status, created_at, record, conversation_id, previous_run_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          record.id,
          record.parentId ?? null,
          record.tenant ?? null,
          record.status,
          record.createdAt,
          JSON.stringify(record),
          record.conversationId ?? null,
          record.previousRunId ?? null,
        ],
      )
      .catch((error: unknown) => {
        // The unique index on previous_run_id: another follow-up of the same turn was stored first.
        const { code, constraint } = error as { code?: string; constraint?: string };
        if (record.previousRunId && code === "23505" && constraint === "runs_previous_run")
          throw new ConversationBusyError(record.previousRunId, "continued");
        throw error;
      });
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const result = await this.connection.query<{ record: string }>(`SELECT record FROM ${this.runs} WHERE id = $1`, [id]);
    const row = result.rows[0];
    return row ? upgradeRunRecord(JSON.parse(row.record)) : undefined;
  }

  async listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
    const { sql, values } = runListQuery(filter, this.runs, (position) => `$${position}`);
    const result = await this.connection.query<{ record: string }>(sql, values);
    return result.rows.map((row) => upgradeRunRecord(JSON.parse(row.record)));
  }

  async updateRun(id: string, patch: RunPatch): Promise<RunRecord> {
    return this.connection.transaction(async (client) => {
      // FOR UPDATE: a concurrent patch waits, so neither overwrites the other's fields.
      const result = await client.query<{ record: string }>(`SELECT record FROM ${this.runs} WHERE id = $1 FOR UPDATE`, [id]);
      const row = result.rows[0];
      if (!row) throw new RunNotFoundError(id);
      const record: RunRecord = { ...upgradeRunRecord(JSON.parse(row.record)), ...patch, updatedAt: new Date().toISOString() };
      await this.writeRecord(client, record);
      return record;
    });
  }

  async saveRun(record: RunRecord, fence?: OwnerFence): Promise<void> {
    const values: unknown[] = [record.status, JSON.stringify(record), record.id];
    // The fence is part of the one UPDATE: the stored owner is compared and replaced atomically.
    const fenced = fence
      ? ` AND (record::jsonb #>> '{owner,token}') IS NOT DISTINCT FROM $${values.push(fence.expectedToken ?? null)}`
      : "";
    const result = await this.connection.query(`UPDATE ${this.runs} SET status = $1, record = $2 WHERE id = $3${fenced}`, values);
    if (result.rowCount !== 0) return;
    if (fence && (await this.getRun(record.id))) throw new RunTakenOverError(record.id);
    throw new RunNotFoundError(record.id);
  }

  async appendItems(
    runId: string,
    step: number,
    items: Item[],
    record?: RunRecord,
    stepUsage?: StepUsage,
    fence?: OwnerFence,
  ): Promise<StoredItem[]> {
    return this.connection.transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`ponder-run:${this.connection.schema}:${runId}`]);
      if (fence) {
        // Under the run's lock: no other checkpoint of this run can change the owner meanwhile.
        const owner = await client.query<{ token: string | null }>(
          `SELECT record::jsonb #>> '{owner,token}' AS token FROM ${this.runs} WHERE id = $1`,
          [runId],
        );
        const row = owner.rows[0];
        if (row && (row.token ?? undefined) !== fence.expectedToken) throw new RunTakenOverError(runId);
      }
      const last = await client.query<{ seq: number | null }>(
        `SELECT MAX(seq) AS seq FROM ${this.connection.table("items")} WHERE run_id = $1`,
        [runId],
      );
      let seq = (last.rows[0]?.seq ?? -1) + 1;
      const createdAt = new Date().toISOString();
      const stored = items.map((item) => ({ seq: seq++, step, createdAt, item }));
      if (stored.length > 0) {
        // One statement for the whole batch: a checkpoint is one round trip however many items it holds.
        const values = stored.flatMap((entry) => [runId, entry.seq, step, createdAt, JSON.stringify(entry.item)]);
        const rows = stored.map(
          (_, index) => `($${index * 5 + 1}, $${index * 5 + 2}, $${index * 5 + 3}, $${index * 5 + 4}, $${index * 5 + 5})`,
        );
        await client.query(
          `INSERT INTO ${this.connection.table("items")} (run_id, seq, step, created_at, item) VALUES ${rows.join(", ")}`,
          values,
        );
      }
      if (record) await this.writeRecord(client, record);
      if (stepUsage) {
        await client.query(
          `INSERT INTO ${this.connection.table("steps")} (run_id, step, usage) VALUES ($1, $2, $3)
           ON CONFLICT (run_id, step) DO UPDATE SET usage = EXCLUDED.usage`,
          [runId, stepUsage.step, JSON.stringify(stepUsage)],
        );
      }
      return stored;
    });
  }

  async listItems(runId: string, afterSeq = -1): Promise<StoredItem[]> {
    const result = await this.connection.query<ItemRow>(
      `SELECT seq, step, created_at, item FROM ${this.connection.table("items")} WHERE run_id = $1 AND seq > $2 ORDER BY seq`,
      [runId, afterSeq],
    );
    return result.rows.map((row) => ({ seq: row.seq, step: row.step, createdAt: row.created_at, item: JSON.parse(row.item) as Item }));
  }

  async listSteps(runId: string): Promise<StepUsage[]> {
    const result = await this.connection.query<{ usage: string }>(
      `SELECT usage FROM ${this.connection.table("steps")} WHERE run_id = $1 ORDER BY step`,
      [runId],
    );
    return result.rows.map((row) => JSON.parse(row.usage) as StepUsage);
  }

  async deleteRun(runId: string): Promise<boolean> {
    return this.connection.transaction(async (client) => {
      for (const table of ["items", "steps", "run_controls"] as const)
        await client.query(`DELETE FROM ${this.connection.table(table)} WHERE run_id = $1`, [runId]);
      return ((await client.query(`DELETE FROM ${this.runs} WHERE id = $1`, [runId])).rowCount ?? 0) > 0;
    });
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  private async writeRecord(client: pg.PoolClient, record: RunRecord): Promise<void> {
    await client.query(`UPDATE ${this.runs} SET status = $1, record = $2 WHERE id = $3`, [
      record.status,
      JSON.stringify(record),
      record.id,
    ]);
  }
}
