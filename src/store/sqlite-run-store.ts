import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Item } from "../core/items.js";
import { finishedStatuses, type RunRecord, type RunStatus, type StepUsage } from "../core/run.js";
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
import { recordJson } from "./record-json.js";
import { runListQuery } from "./run-listing.js";
import { upgradeRunRecord } from "./run-record-upgrade.js";
import { SqliteCheckpointer } from "./sqlite-checkpointer.js";
import { migrateSqlite } from "./sqlite-migrations.js";
import { rememberOpenedDatabase } from "./store-unavailable.js";

type RunRow = { record: string };
type ItemRow = { seq: number; step: number; created_at: string; item: string };

/** A write waiting for the next group commit, and who to tell when it is durable. */
type QueuedWrite = { write: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };
type WriteOutcome = { value: unknown } | { error: unknown };

/** Runs left paused or queued by this process stay remembered; past this many, the store starts over. */
const rememberedRuns = 10_000;

/**
 * The embedded default store. WAL with synchronous=NORMAL: a commit survives a killed process
 * (the case we must handle); only a power cut can lose the last commits.
 *
 * Group commit: writes are queued and committed together, in the order they were made, in one
 * transaction at the end of the event loop's current turn (setImmediate). Hundreds of runs
 * whose model answers arrive together then pay for one commit instead of one each, while a
 * lone run waits no timer. A write's promise resolves only after the commit that holds it, so
 * a checkpoint is as durable as before when the caller sees it.
 */
export class SqliteRunStore implements RunStore {
  /** One queue, committed in order: a write made before another is in the same or an earlier commit. */
  readonly writesInCallOrder = true;
  private readonly database: Database.Database;
  private readonly statements;
  private queued: QueuedWrite[] = [];
  private flushScheduled = false;
  private readonly commit: (writes: QueuedWrite[]) => WriteOutcome[];
  private readonly checkpointer: SqliteCheckpointer;
  /** The status this store last wrote for each run it is advancing, so a write that changes it takes one statement. */
  private readonly statuses = new Map<string, RunStatus>();
  /** Prepared once per filter shape (a handful): statements keyed by their SQL. */
  private readonly listStatements = new Map<string, Database.Statement<(string | number)[], RunRow>>();

  constructor(readonly path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.database = new Database(path);
    try {
      this.database.pragma("journal_mode = WAL");
      this.database.pragma("synchronous = NORMAL");
      this.database.pragma("busy_timeout = 5000");
      migrateSqlite(this.database, path);
      // Reads the tables' first pages, so a damaged file is found now rather than halfway through a run.
      this.database.prepare("SELECT 1 FROM runs LIMIT 1").get();
      this.database.prepare("SELECT 1 FROM items LIMIT 1").get();
    } catch (error) {
      this.database.close();
      throw error;
    }
    rememberOpenedDatabase(path);
    this.checkpointer = new SqliteCheckpointer(this.database, path);
    this.statements = {
      insertRun: this.database.prepare(
        "INSERT INTO runs (id, parent_id, tenant, status, created_at, record, owner_token, conversation_id, previous_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      // Leaves the status column (and its index) alone: most writes do not change the status.
      updateRecord: this.database.prepare("UPDATE runs SET record = ?, owner_token = ? WHERE id = ? AND status = ?"),
      updateFencedRecord: this.database.prepare(
        "UPDATE runs SET record = ?, owner_token = ? WHERE id = ? AND status = ? AND owner_token IS ?",
      ),
      updateFencedRun: this.database.prepare("UPDATE runs SET status = ?, record = ?, owner_token = ? WHERE id = ? AND owner_token IS ?"),
      updateRun: this.database.prepare("UPDATE runs SET status = ?, record = ?, owner_token = ? WHERE id = ?"),
      getRun: this.database.prepare<[string], RunRow>("SELECT record FROM runs WHERE id = ?"),
      insertItem: this.database.prepare("INSERT INTO items (run_id, seq, step, created_at, item) VALUES (?, ?, ?, ?, ?)"),
      listItems: this.database.prepare<[string, number], ItemRow>(
        "SELECT seq, step, created_at, item FROM items WHERE run_id = ? AND seq > ? ORDER BY seq",
      ),
      insertStep: this.database.prepare("INSERT OR REPLACE INTO steps (run_id, step, usage) VALUES (?, ?, ?)"),
      listSteps: this.database.prepare<[string], { usage: string }>("SELECT usage FROM steps WHERE run_id = ? ORDER BY step"),
      deleteRun: this.database.prepare("DELETE FROM runs WHERE id = ?"),
      deleteItems: this.database.prepare("DELETE FROM items WHERE run_id = ?"),
      deleteSteps: this.database.prepare("DELETE FROM steps WHERE run_id = ?"),
      deleteControls: this.database.prepare("DELETE FROM run_controls WHERE run_id = ?"),
      takeControls: this.database.prepare<[string, string], StoredControl & { id: number }>(
        "UPDATE run_controls SET taken_at = ? WHERE run_id = ? AND taken_at IS NULL RETURNING id, kind, text",
      ),
      ownerToken: this.database.prepare<[string], { token: string | null }>("SELECT owner_token AS token FROM runs WHERE id = ?"),
      // Plucked: the one value, without a row object around it.
      lastSeq: this.database.prepare<[string], number | null>("SELECT MAX(seq) FROM items WHERE run_id = ?").pluck(),
    };
    // Inside the batch's transaction each write is a savepoint: one that fails is rolled back
    // alone and the others still commit.
    const savepoint = this.database.transaction((write: () => unknown) => write());
    const batch = this.database.transaction((writes: QueuedWrite[]) =>
      // A lone write needs no savepoint: if it fails, the whole transaction is only it.
      writes.length === 1
        ? [{ value: (writes[0] as QueuedWrite).write() }]
        : writes.map((queued): WriteOutcome => {
            try {
              return { value: savepoint(queued.write) };
            } catch (error) {
              return { error };
            }
          }),
    );
    // IMMEDIATE: take the write lock before the first read (appendItems reads the last seq), so a
    // second process writing meanwhile makes us wait (busy_timeout) rather than fail the upgrade.
    this.commit = (writes) => batch.immediate(writes);
  }

  async createRun(record: RunRecord): Promise<void> {
    const row = [
      record.id,
      record.parentId ?? null,
      record.tenant ?? null,
      record.status,
      record.createdAt,
      recordJson(record),
      record.owner?.token ?? null,
      record.conversationId ?? null,
      record.previousRunId ?? null,
    ];
    await this.enqueue(() => {
      try {
        this.statements.insertRun.run(...row);
      } catch (error) {
        // The unique index on previous_run_id: another follow-up of the same turn was stored first.
        if (
          record.previousRunId &&
          (error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE" &&
          /previous_run_id/.test(String(error))
        )
          throw new ConversationBusyError(record.previousRunId, "continued");
        throw error;
      }
      this.remember(record);
    });
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const row = this.statements.getRun.get(id);
    return row ? upgradeRunRecord(JSON.parse(row.record)) : undefined;
  }

  async listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
    const { sql, values } = runListQuery(filter, "runs", () => "?");
    let statement = this.listStatements.get(sql);
    if (!statement) {
      statement = this.database.prepare<(string | number)[], RunRow>(sql);
      this.listStatements.set(sql, statement);
    }
    return statement.all(...values).map((row) => upgradeRunRecord(JSON.parse(row.record)));
  }

  async updateRun(id: string, patch: RunPatch): Promise<RunRecord> {
    return this.enqueue(() => this.applyPatch(id, patch));
  }

  async saveRun(record: RunRecord, fence?: OwnerFence): Promise<void> {
    const json = recordJson(record);
    await this.enqueue(() => {
      if (!this.writeRecord(record, json, fence)) throw new RunNotFoundError(record.id);
    });
  }

  async appendItems(
    runId: string,
    step: number,
    items: Item[],
    record?: RunRecord,
    stepUsage?: StepUsage,
    fence?: OwnerFence,
  ): Promise<StoredItem[]> {
    // Serialised now: the caller may change its objects before the commit.
    const itemJson = items.map((item) => JSON.stringify(item));
    const json = record && recordJson(record);
    const usageJson = stepUsage && JSON.stringify(stepUsage);
    return this.enqueue(() => {
      // With a record to write, its fenced update checks the owner (a failure rolls the items back).
      if (!record) this.checkFence(runId, fence);
      const createdAt = new Date().toISOString();
      // Read inside the transaction: another process (ponder approve) may have appended.
      let seq = (this.statements.lastSeq.get(runId) ?? -1) + 1;
      const stored = items.map((item, index) => {
        this.statements.insertItem.run(runId, seq, step, createdAt, itemJson[index]);
        return { seq: seq++, step, createdAt, item };
      });
      // No record to update: the run is not stored (its creation, in this commit, failed).
      if (record && json && !this.writeRecord(record, json, fence)) throw new RunNotFoundError(runId);
      if (stepUsage) this.statements.insertStep.run(runId, stepUsage.step, usageJson);
      return stored;
    });
  }

  async listItems(runId: string, afterSeq = -1): Promise<StoredItem[]> {
    return this.statements.listItems.all(runId, afterSeq).map((row) => ({
      seq: row.seq,
      step: row.step,
      createdAt: row.created_at,
      item: JSON.parse(row.item) as Item,
    }));
  }

  async readRunToAdvance(id: string): Promise<RunToAdvance | undefined> {
    const record = await this.getRun(id);
    if (!record) return undefined;
    const items = await this.listItems(id);
    // Its own statement, not the group commit's: one UPDATE takes each request once, whoever else polls.
    const taken = takesControlsOnRead(record.status) ? this.statements.takeControls.all(new Date().toISOString(), id) : [];
    const controls = taken.sort((left, right) => left.id - right.id).map(({ kind, text }) => ({ kind, text }));
    return { record, items, controls };
  }

  async listSteps(runId: string): Promise<StepUsage[]> {
    return this.statements.listSteps.all(runId).map((row) => JSON.parse(row.usage) as StepUsage);
  }

  async deleteRun(runId: string): Promise<boolean> {
    return this.enqueue(() => {
      this.statements.deleteItems.run(runId);
      this.statements.deleteSteps.run(runId);
      this.statements.deleteControls.run(runId);
      this.statuses.delete(runId);
      return this.statements.deleteRun.run(runId).changes > 0;
    });
  }

  async close(): Promise<void> {
    this.flush();
    await this.checkpointer.stop();
    this.database.close();
  }

  /** Inside the write's savepoint: the stored owner is read and the write made in one transaction. */
  private checkFence(runId: string, fence: OwnerFence | undefined): void {
    if (!fence) return;
    const row = this.statements.ownerToken.get(runId);
    if (row && (row.token ?? undefined) !== fence.expectedToken) throw new RunTakenOverError(runId);
  }

  /** Queues a write for the next group commit; resolves with its result once that commit is done. */
  private enqueue<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ write, resolve: resolve as (value: unknown) => void, reject });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const writes = this.queued;
    if (writes.length === 0) return;
    this.queued = [];
    let outcomes: WriteOutcome[];
    try {
      outcomes = this.commit(writes);
    } catch (error) {
      // The transaction itself failed (the database is locked, the disk is full): nothing in it was written.
      for (const queued of writes) queued.reject(error);
      return;
    }
    this.checkpointer.committed();
    writes.forEach((queued, index) => {
      const outcome = outcomes[index] as WriteOutcome;
      if ("error" in outcome) queued.reject(outcome.error);
      else queued.resolve(outcome.value);
    });
  }

  private applyPatch(id: string, patch: RunPatch): RunRecord {
    const row = this.statements.getRun.get(id);
    if (!row) throw new RunNotFoundError(id);
    const record: RunRecord = { ...upgradeRunRecord(JSON.parse(row.record)), ...patch, updatedAt: new Date().toISOString() };
    this.writeRecord(record, recordJson(record));
    return record;
  }

  /**
   * Writes a run's record, if the fence (when given) still holds; false when no such run is
   * stored. The common case is one statement: the status this store last wrote (unchanged, or
   * changed by this write: then the status column too), the expected owner.
   */
  private writeRecord(record: RunRecord, json: string, fence?: OwnerFence): boolean {
    const token = record.owner?.token ?? null;
    const expected = fence?.expectedToken ?? null;
    const known = this.statuses.get(record.id);
    const updated =
      fence && known !== undefined && known !== record.status
        ? this.statements.updateFencedRun.run(record.status, json, token, record.id, expected)
        : fence
          ? this.statements.updateFencedRecord.run(json, token, record.id, record.status, expected)
          : this.statements.updateRecord.run(json, token, record.id, record.status);
    if (updated.changes === 0) {
      this.checkFence(record.id, fence);
      if (this.statements.updateRun.run(record.status, json, token, record.id).changes === 0) return false;
    }
    this.remember(record);
    return true;
  }

  private remember(record: RunRecord): void {
    if (finishedStatuses.includes(record.status)) this.statuses.delete(record.id);
    else {
      if (this.statuses.size >= rememberedRuns) this.statuses.clear();
      this.statuses.set(record.id, record.status);
    }
  }
}
