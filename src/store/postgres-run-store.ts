import type pg from "pg";
import type { Item } from "../core/items.js";
import { runStatuses, type RunRecord, type StepUsage } from "../core/run.js";
import { ConversationBusyError, RunNotFoundError, RunTakenOverError } from "../core/errors.js";
import {
  takesControlsOnRead,
  type OwnerFence,
  type RunFilter,
  type RunPatch,
  type RunStore,
  type RunToAdvance,
  type StoredControl,
  type StoredItem,
} from "./run-store.js";
import { runListQuery } from "./run-listing.js";
import { upgradeRunRecord } from "./run-record-upgrade.js";
import { PostgresConnection, type PostgresOptions } from "./postgres-connection.js";

type ItemRow = { seq: number; step: number; created_at: string; item: string };
const statusesTakingControls = runStatuses.filter(takesControlsOnRead);

/**
 * A row of readRunToAdvance: part 0 is the record (body), part 1 a control request (label: its
 * kind, body: its text), part 2 an item (number: its seq, label: its creation time, body: it).
 */
type AdvanceRow = { part: number; number: string | null; step: number | null; label: string | null; body: string | null };

/** The primary key of items refused a number: another process took it first. */
function takenNumbers(error: unknown): boolean {
  const { code, constraint } = error as { code?: string; constraint?: string };
  return code === "23505" && constraint === "items_pkey";
}

/**
 * The shared store: many processes on many machines (servers, workers, the CLI) read and write
 * the same runs. Each checkpoint is one statement (one round trip, one commit) that locks the
 * run's row; two processes appending to one run (a worker and `ponder approve`) never keep the
 * same item number: the primary key refuses the second, which counts again under the lock.
 */
export class PostgresRunStore implements RunStore {
  readonly connection: PostgresConnection;

  constructor(options: PostgresOptions | PostgresConnection) {
    this.connection = options instanceof PostgresConnection ? options : new PostgresConnection(options);
  }

  private get runs(): string {
    return this.connection.table("runs");
  }

  /**
   * Runs created in the same turn of the event loop (a server answering many `POST /v1/runs` at
   * once) are stored by one statement: one round trip and one commit for all of them. When that
   * statement fails, each is stored alone, so only the one at fault fails.
   */
  createRun(record: RunRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.creating) {
        this.creating = [];
        setImmediate(() => void this.createGathered());
      }
      this.creating.push({ record, resolve, reject });
    });
  }

  private creating: { record: RunRecord; resolve: () => void; reject: (error: unknown) => void }[] | undefined;

  private async createGathered(): Promise<void> {
    const gathered = this.creating ?? [];
    this.creating = undefined;
    if (gathered.length > 1) {
      const stored = await this.insertRuns(gathered.map((entry) => entry.record)).then(
        () => true,
        () => false,
      );
      if (stored) return gathered.forEach((entry) => entry.resolve());
    }
    for (const entry of gathered) {
      await this.insertRuns([entry.record]).then(entry.resolve, (error: unknown) => {
        // The unique index on previous_run_id: another follow-up of the same turn was stored first.
        const { code, constraint } = error as { code?: string; constraint?: string };
        const previous = entry.record.previousRunId;
        entry.reject(
          previous && code === "23505" && constraint === "runs_previous_run" ? new ConversationBusyError(previous, "continued") : error,
        );
      });
    }
  }

  private async insertRuns(records: RunRecord[]): Promise<void> {
    const column = (value: (record: RunRecord) => string | undefined) => records.map((record) => value(record) ?? null);
    await this.connection.query(
      `INSERT INTO ${this.runs} (id, parent_id, tenant, status, created_at, record, conversation_id, previous_run_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])`,
      [
        column((record) => record.id),
        column((record) => record.parentId),
        column((record) => record.tenant),
        column((record) => record.status),
        column((record) => record.createdAt),
        column((record) => JSON.stringify(record)),
        column((record) => record.conversationId),
        column((record) => record.previousRunId),
      ],
    );
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
    const createdAt = new Date().toISOString();
    const { sql, values } = this.appendStatement(runId, step, items, createdAt, record, stepUsage, fence);
    let row: { last: number; gated: number } | undefined;
    try {
      row = (await this.connection.query<{ last: number; gated: number }>(sql, values)).rows[0];
    } catch (error) {
      if (!takenNumbers(error)) throw error;
      // Another process appended to this run after this statement's snapshot was taken (it
      // waited for the run's lock with an older one): again, with the lock taken first.
      row = await this.connection.transaction(async (client) => {
        await client.query(`SELECT 1 FROM ${this.runs} WHERE id = $1 FOR UPDATE`, [runId]);
        return (await client.query<{ last: number; gated: number }>(sql, values)).rows[0];
      });
    }
    if (!row || row.gated === 0) {
      if (fence && (await this.getRun(runId))) throw new RunTakenOverError(runId);
      throw new RunNotFoundError(runId);
    }
    const first = row.last + 1;
    return items.map((item, index) => ({ seq: first + index, step, createdAt, item }));
  }

  /**
   * A checkpoint as one statement, so one round trip and one commit: the run's row is locked
   * (and its owner checked, with a fence) before anything is written, the items take the numbers
   * after the last stored one, and the record and the step's usage are written only if the run
   * passed. With neither a record nor a fence, the items are appended as they are.
   */
  private appendStatement(
    runId: string,
    step: number,
    items: Item[],
    createdAt: string,
    record?: RunRecord,
    stepUsage?: StepUsage,
    fence?: OwnerFence,
  ): { sql: string; values: unknown[] } {
    const values: unknown[] = [runId, step, createdAt, items.map((item) => JSON.stringify(item))];
    const value = (given: unknown) => `$${values.push(given)}`;
    const itemsTable = this.connection.table("items");
    const owner = fence ? ` AND (record::jsonb #>> '{owner,token}') IS NOT DISTINCT FROM ${value(fence.expectedToken ?? null)}` : "";
    const parts = [
      record || fence
        ? `gate AS (SELECT id FROM ${this.runs} WHERE id = $1${owner} FOR UPDATE)`
        : // Locks the run's row when it is stored, and passes either way.
          `gate AS (SELECT $1::text AS id FROM (SELECT count(*) FROM (SELECT 1 FROM ${this.runs} WHERE id = $1 FOR UPDATE) AS locked) AS taken)`,
      `last AS (SELECT COALESCE(MAX(seq), -1) AS seq FROM ${itemsTable} WHERE run_id = $1)`,
      `appended AS (INSERT INTO ${itemsTable} (run_id, seq, step, created_at, item)
         SELECT gate.id, last.seq + entry.position, $2::int, $3::text, entry.item
         FROM gate, last, unnest($4::text[]) WITH ORDINALITY AS entry(item, position))`,
    ];
    if (record) {
      parts.push(
        `saved AS (UPDATE ${this.runs} AS runs SET status = ${value(record.status)}, record = ${value(JSON.stringify(record))} FROM gate WHERE runs.id = gate.id)`,
      );
    }
    if (stepUsage) {
      parts.push(
        `usage AS (INSERT INTO ${this.connection.table("steps")} (run_id, step, usage)
           SELECT gate.id, ${value(stepUsage.step)}::int, ${value(JSON.stringify(stepUsage))}::text FROM gate
           ON CONFLICT (run_id, step) DO UPDATE SET usage = EXCLUDED.usage)`,
      );
    }
    return { sql: `WITH ${parts.join(", ")} SELECT (SELECT seq FROM last) AS last, (SELECT count(*) FROM gate)::int AS gated`, values };
  }

  async listItems(runId: string, afterSeq = -1): Promise<StoredItem[]> {
    const result = await this.connection.query<ItemRow>(
      `SELECT seq, step, created_at, item FROM ${this.connection.table("items")} WHERE run_id = $1 AND seq > $2 ORDER BY seq`,
      [runId, afterSeq],
    );
    return result.rows.map((row) => ({ seq: row.seq, step: row.step, createdAt: row.created_at, item: JSON.parse(row.item) as Item }));
  }

  /**
   * One statement, one row per part: the record, then the control requests (taken in the same
   * statement when the stored status allows, see takesControlsOnRead), then the items. Rows, not
   * one aggregated value, so a run of any size reads as listItems would read it.
   */
  async readRunToAdvance(id: string): Promise<RunToAdvance | undefined> {
    const result = await this.connection.query<AdvanceRow>(
      `WITH run AS (SELECT record, status FROM ${this.runs} WHERE id = $1),
       taken AS (UPDATE ${this.connection.table("run_controls")} SET taken_at = $2
         WHERE run_id = $1 AND taken_at IS NULL AND EXISTS (SELECT 1 FROM run WHERE status = ANY($3::text[]))
         RETURNING id, kind, text)
       SELECT 0 AS part, NULL::bigint AS number, NULL::int AS step, NULL::text AS label, record AS body FROM run
       UNION ALL SELECT 1, id, NULL, kind, text FROM taken
       UNION ALL SELECT 2, seq, step, created_at, item FROM ${this.connection.table("items")}
         WHERE run_id = $1 AND EXISTS (SELECT 1 FROM run)
       ORDER BY part, number`,
      [id, new Date().toISOString(), statusesTakingControls],
    );
    const [first, ...rest] = result.rows;
    if (first?.part !== 0 || first.body === null) return undefined;
    const controls: StoredControl[] = [];
    const items: StoredItem[] = [];
    for (const row of rest) {
      if (row.part === 1) controls.push({ kind: row.label ?? "", text: row.body });
      else
        items.push({
          seq: Number(row.number),
          step: row.step ?? 0,
          createdAt: row.label ?? "",
          item: JSON.parse(row.body ?? "null") as Item,
        });
    }
    return { record: upgradeRunRecord(JSON.parse(first.body)), items, controls };
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
