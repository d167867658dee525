import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Item } from "../core/items.js";
import type { RunRecord, StepUsage } from "../core/run.js";
import { RunNotFoundError } from "../core/errors.js";
import type { RunFilter, RunPatch, RunStore, StoredItem } from "./run-store.js";
import { upgradeRunRecord } from "./run-record-upgrade.js";

const schema = `
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  parent_id TEXT,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_status ON runs (status, created_at);
CREATE INDEX IF NOT EXISTS runs_parent ON runs (parent_id);
CREATE TABLE IF NOT EXISTS items (
  run_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  step INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  item TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS steps (
  run_id TEXT NOT NULL,
  step INTEGER NOT NULL,
  usage TEXT NOT NULL,
  PRIMARY KEY (run_id, step)
) WITHOUT ROWID;
`;

type RunRow = { record: string };
type ItemRow = { seq: number; step: number; created_at: string; item: string };

/**
 * The embedded default store. WAL with synchronous=NORMAL: a commit survives a killed process
 * (the case we must handle) at a cost of tens of microseconds per checkpoint; only a power cut
 * can lose the last commits.
 */
export class SqliteRunStore implements RunStore {
  private readonly database: Database.Database;
  private readonly statements;

  constructor(readonly path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.database = new Database(path);
    this.database.pragma("journal_mode = WAL");
    this.database.pragma("synchronous = NORMAL");
    this.database.pragma("busy_timeout = 5000");
    this.database.exec(schema);
    addTenantColumn(this.database);
    this.statements = {
      insertRun: this.database.prepare(
        "INSERT INTO runs (id, parent_id, tenant, status, created_at, record) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      updateRun: this.database.prepare("UPDATE runs SET status = ?, record = ? WHERE id = ?"),
      getRun: this.database.prepare<[string], RunRow>("SELECT record FROM runs WHERE id = ?"),
      insertItem: this.database.prepare(
        "INSERT INTO items (run_id, seq, step, created_at, item) VALUES (?, ?, ?, ?, ?)",
      ),
      listItems: this.database.prepare<[string, number], ItemRow>(
        "SELECT seq, step, created_at, item FROM items WHERE run_id = ? AND seq > ? ORDER BY seq",
      ),
      insertStep: this.database.prepare("INSERT OR REPLACE INTO steps (run_id, step, usage) VALUES (?, ?, ?)"),
      listSteps: this.database.prepare<[string], { usage: string }>("SELECT usage FROM steps WHERE run_id = ? ORDER BY step"),
      lastSeq: this.database.prepare<[string], { seq: number | null }>(
        "SELECT MAX(seq) AS seq FROM items WHERE run_id = ?",
      ),
    };
  }

  async createRun(record: RunRecord): Promise<void> {
    this.statements.insertRun.run(record.id, record.parentId ?? null, record.tenant ?? null, record.status, record.createdAt, JSON.stringify(record));
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const row = this.statements.getRun.get(id);
    return row ? upgradeRunRecord(JSON.parse(row.record)) : undefined;
  }

  async listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
    const conditions: string[] = [];
    const values: (string | number)[] = [];
    if (filter.status) {
      conditions.push("status = ?");
      values.push(filter.status);
    }
    if (filter.parentId) {
      conditions.push("parent_id = ?");
      values.push(filter.parentId);
    }
    if (filter.topLevel) conditions.push("parent_id IS NULL");
    if (filter.tenant !== undefined) {
      conditions.push("tenant = ?");
      values.push(filter.tenant);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "";
    values.push(filter.limit ?? 1000);
    const rows = this.database
      .prepare<(string | number)[], RunRow>(`SELECT record FROM runs ${where} ORDER BY created_at DESC, id DESC LIMIT ?`)
      .all(...values);
    return rows.map((row) => upgradeRunRecord(JSON.parse(row.record)));
  }

  async updateRun(id: string, patch: RunPatch): Promise<RunRecord> {
    return this.database.transaction(() => this.applyPatch(id, patch))();
  }

  async saveRun(record: RunRecord): Promise<void> {
    const result = this.statements.updateRun.run(record.status, JSON.stringify(record), record.id);
    if (result.changes === 0) throw new RunNotFoundError(record.id);
  }

  async appendItems(runId: string, step: number, items: Item[], record?: RunRecord, stepUsage?: StepUsage): Promise<StoredItem[]> {
    return this.database.transaction(() => {
      const createdAt = new Date().toISOString();
      // Read inside the transaction: another process (ponder approve) may have appended.
      let seq = (this.statements.lastSeq.get(runId)?.seq ?? -1) + 1;
      const stored = items.map((item) => {
        this.statements.insertItem.run(runId, seq, step, createdAt, JSON.stringify(item));
        return { seq: seq++, step, createdAt, item };
      });
      if (record) this.statements.updateRun.run(record.status, JSON.stringify(record), runId);
      if (stepUsage) this.statements.insertStep.run(runId, stepUsage.step, JSON.stringify(stepUsage));
      return stored;
    })();
  }

  async listItems(runId: string, afterSeq = -1): Promise<StoredItem[]> {
    return this.statements.listItems.all(runId, afterSeq).map((row) => ({
      seq: row.seq,
      step: row.step,
      createdAt: row.created_at,
      item: JSON.parse(row.item) as Item,
    }));
  }

  async listSteps(runId: string): Promise<StepUsage[]> {
    return this.statements.listSteps.all(runId).map((row) => JSON.parse(row.usage) as StepUsage);
  }

  async close(): Promise<void> {
    this.database.close();
  }

  private applyPatch(id: string, patch: RunPatch): RunRecord {
    const row = this.statements.getRun.get(id);
    if (!row) throw new RunNotFoundError(id);
    const record: RunRecord = { ...upgradeRunRecord(JSON.parse(row.record)), ...patch, updatedAt: new Date().toISOString() };
    this.statements.updateRun.run(record.status, JSON.stringify(record), id);
    return record;
  }
}

/**
 * Databases made before runs had tenants lack the column: add it in place (existing runs keep
 * a NULL tenant, i.e. local runs), so old databases keep working.
 */
function addTenantColumn(database: Database.Database): void {
  // IMMEDIATE takes the write lock before looking, so two processes opening the file at once cannot both add it.
  database.transaction(() => {
    const columns = database.prepare<[], { name: string }>("PRAGMA table_info(runs)").all();
    if (!columns.some((column) => column.name === "tenant")) database.exec("ALTER TABLE runs ADD COLUMN tenant TEXT");
    database.exec("CREATE INDEX IF NOT EXISTS runs_tenant ON runs (tenant, created_at)");
  }).immediate();
}
