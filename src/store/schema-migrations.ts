// The stores' schema, as the ordered list of changes that made it. Both stores apply this one
// list (sqlite-migrations.ts, postgres-schema.ts) and record each change they applied in their
// `schema_migrations` table, so a database of any earlier version is brought up to date in place.
// A new change is a new entry at the end; entries already released are never edited.

/** A table's name as SQL text: bare in SQLite, qualified by the deployment's schema in PostgreSQL. */
export type TableName = (table: string) => string;

/**
 * One statement of a change. `addColumn` adds a column only when missing (SQLite has no ADD
 * COLUMN IF NOT EXISTS) and then runs `fill`, so a column is filled once, when it is added.
 */
export type MigrationStep = string | { addColumn: { table: string; column: string; type: string; fill?: string } };

export type Migration = {
  version: number;
  /** What the change is for, stored with it. */
  change: string;
  sqlite: (table: TableName) => MigrationStep[];
  postgres: (table: TableName) => MigrationStep[];
};

/**
 * Databases made before the version table existed have some of these changes already and no
 * record of them: they start at version 0 and run every change, so each is written to be
 * harmless when its change is already there (IF NOT EXISTS, columns added only when missing).
 * Records and items are JSON text in both stores: PostgreSQL's jsonb would reject the NUL
 * characters tool output can contain. `COLLATE "C"` orders ids and timestamps byte-wise in
 * PostgreSQL, as SQLite does.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    change: "runs, their items and their steps' usage",
    sqlite: (table) => [
      `CREATE TABLE IF NOT EXISTS ${table("runs")} (id TEXT PRIMARY KEY, parent_id TEXT, status TEXT NOT NULL, created_at TEXT NOT NULL, record TEXT NOT NULL)`,
      `CREATE INDEX IF NOT EXISTS runs_status ON runs (status, created_at)`,
      `CREATE INDEX IF NOT EXISTS runs_parent ON runs (parent_id)`,
      `CREATE TABLE IF NOT EXISTS ${table("items")} (run_id TEXT NOT NULL, seq INTEGER NOT NULL, step INTEGER NOT NULL, created_at TEXT NOT NULL, item TEXT NOT NULL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID`,
      `CREATE TABLE IF NOT EXISTS ${table("steps")} (run_id TEXT NOT NULL, step INTEGER NOT NULL, usage TEXT NOT NULL, PRIMARY KEY (run_id, step)) WITHOUT ROWID`,
    ],
    postgres: (table) => [
      `CREATE TABLE IF NOT EXISTS ${table("runs")} (id TEXT COLLATE "C" PRIMARY KEY, parent_id TEXT, status TEXT NOT NULL, created_at TEXT COLLATE "C" NOT NULL, record TEXT NOT NULL)`,
      `CREATE INDEX IF NOT EXISTS runs_status ON ${table("runs")} (status, created_at)`,
      `CREATE INDEX IF NOT EXISTS runs_parent ON ${table("runs")} (parent_id)`,
      `CREATE TABLE IF NOT EXISTS ${table("items")} (run_id TEXT NOT NULL, seq INTEGER NOT NULL, step INTEGER NOT NULL, created_at TEXT NOT NULL, item TEXT NOT NULL, PRIMARY KEY (run_id, seq))`,
      `CREATE TABLE IF NOT EXISTS ${table("steps")} (run_id TEXT NOT NULL, step INTEGER NOT NULL, usage TEXT NOT NULL, PRIMARY KEY (run_id, step))`,
    ],
  },
  {
    version: 2,
    change: "runs.tenant: a shared server's tenants see only their own runs (existing runs keep NULL: local runs)",
    sqlite: () => [
      { addColumn: { table: "runs", column: "tenant", type: "TEXT" } },
      "CREATE INDEX IF NOT EXISTS runs_tenant ON runs (tenant, created_at)",
    ],
    postgres: (table) => [
      { addColumn: { table: "runs", column: "tenant", type: "TEXT" } },
      `CREATE INDEX IF NOT EXISTS runs_tenant ON ${table("runs")} (tenant, created_at)`,
    ],
  },
  {
    version: 3,
    change: "runs.owner_token: the owner fence compares a column, filled from the records",
    sqlite: () => [
      {
        addColumn: {
          table: "runs",
          column: "owner_token",
          type: "TEXT",
          fill: "UPDATE runs SET owner_token = json_extract(record, '$.owner.token')",
        },
      },
    ],
    // PostgreSQL's fence reads the token from the record, under the run's lock.
    postgres: () => [],
  },
  {
    version: 4,
    change: "run_controls: durable steer and cancel requests, taken by whichever process advances the run",
    sqlite: (table) => [
      `CREATE TABLE IF NOT EXISTS ${table("run_controls")} (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, kind TEXT NOT NULL, text TEXT, created_at TEXT NOT NULL, taken_at TEXT)`,
      "CREATE INDEX IF NOT EXISTS run_controls_open ON run_controls (run_id) WHERE taken_at IS NULL",
    ],
    postgres: (table) => [
      `CREATE TABLE IF NOT EXISTS ${table("run_controls")} (id BIGSERIAL PRIMARY KEY, run_id TEXT NOT NULL, kind TEXT NOT NULL, text TEXT, created_at TEXT NOT NULL, taken_at TEXT)`,
      `CREATE INDEX IF NOT EXISTS run_controls_open ON ${table("run_controls")} (run_id) WHERE taken_at IS NULL`,
    ],
  },
  {
    version: 5,
    change:
      "runs.conversation_id and runs.previous_run_id: a conversation's turns found by an index, and one follow-up per turn (a unique index: two follow-ups racing from one turn cannot fork the conversation)",
    // Existing conversations are filled from their records. Where a conversation had already
    // forked, the earliest follow-up keeps its place in the line and the others' column stays
    // empty (their records are unchanged), so the unique index can be built.
    sqlite: () => [
      {
        addColumn: {
          table: "runs",
          column: "conversation_id",
          type: "TEXT",
          fill: "UPDATE runs SET conversation_id = json_extract(record, '$.conversationId') WHERE record LIKE '%\"conversationId\"%'",
        },
      },
      {
        addColumn: {
          table: "runs",
          column: "previous_run_id",
          type: "TEXT",
          fill: "UPDATE runs SET previous_run_id = json_extract(record, '$.previousRunId') WHERE record LIKE '%\"previousRunId\"%'",
        },
      },
      `UPDATE runs SET previous_run_id = NULL WHERE previous_run_id IS NOT NULL AND EXISTS (SELECT 1 FROM runs AS earlier WHERE earlier.previous_run_id = runs.previous_run_id AND (earlier.created_at < runs.created_at OR (earlier.created_at = runs.created_at AND earlier.id < runs.id)))`,
      "CREATE UNIQUE INDEX IF NOT EXISTS runs_previous_run ON runs (previous_run_id) WHERE previous_run_id IS NOT NULL",
      "CREATE INDEX IF NOT EXISTS runs_conversation ON runs (conversation_id, created_at) WHERE conversation_id IS NOT NULL",
    ],
    // The records are read as jsonb only for runs that are turns of a conversation; a NUL escape
    // (\u0000, which jsonb refuses) is dropped from the text first: the ids never hold one.
    postgres: (table) => [
      {
        addColumn: {
          table: "runs",
          column: "conversation_id",
          type: "TEXT",
          fill: `UPDATE ${table("runs")} SET conversation_id = replace(record, '\\u0000', '')::jsonb ->> 'conversationId' WHERE record LIKE '%"conversationId"%'`,
        },
      },
      {
        addColumn: {
          table: "runs",
          column: "previous_run_id",
          type: "TEXT",
          fill: `UPDATE ${table("runs")} SET previous_run_id = replace(record, '\\u0000', '')::jsonb ->> 'previousRunId' WHERE record LIKE '%"previousRunId"%'`,
        },
      },
      `UPDATE ${table("runs")} AS later SET previous_run_id = NULL FROM ${table("runs")} AS earlier WHERE later.previous_run_id IS NOT NULL AND earlier.previous_run_id = later.previous_run_id AND (earlier.created_at < later.created_at OR (earlier.created_at = later.created_at AND earlier.id < later.id))`,
      `CREATE UNIQUE INDEX IF NOT EXISTS runs_previous_run ON ${table("runs")} (previous_run_id) WHERE previous_run_id IS NOT NULL`,
      `CREATE INDEX IF NOT EXISTS runs_conversation ON ${table("runs")} (conversation_id, created_at) WHERE conversation_id IS NOT NULL`,
    ],
  },
  {
    version: 6,
    change: "listing runs costs O(limit): an index per list filter in the lists' order (created_at, id)",
    sqlite: () => listingIndexes((name) => name),
    postgres: (table) => listingIndexes(table),
  },
  {
    version: 7,
    change: "response_events: the recorded event stream of each background response, for resuming it from any server",
    sqlite: (table) => [
      `CREATE TABLE IF NOT EXISTS ${table("response_events")} (response_id TEXT NOT NULL, sequence_number INTEGER NOT NULL, event TEXT NOT NULL, PRIMARY KEY (response_id, sequence_number)) WITHOUT ROWID`,
    ],
    postgres: (table) => [
      `CREATE TABLE IF NOT EXISTS ${table("response_events")} (response_id TEXT COLLATE "C" NOT NULL, sequence_number INTEGER NOT NULL, event TEXT NOT NULL, PRIMARY KEY (response_id, sequence_number))`,
    ],
  },
];

/**
 * Every list is newest first (created_at DESC, id DESC) and cut at a limit, so each filter has an
 * index in that order: the first `limit` entries are the answer, whatever the history's size.
 * The indexes of versions 1 and 2 lacked the order's columns; the new ones replace them. (A
 * conversation's turns, a handful, keep version 5's index.)
 */
function listingIndexes(table: TableName): string[] {
  const runs = table("runs");
  return [
    // An index lives in its table's schema: dropped by its qualified name, created by its bare one.
    `DROP INDEX IF EXISTS ${table("runs_status")}`,
    `DROP INDEX IF EXISTS ${table("runs_parent")}`,
    `DROP INDEX IF EXISTS ${table("runs_tenant")}`,
    `CREATE INDEX IF NOT EXISTS runs_newest ON ${runs} (created_at, id)`,
    `CREATE INDEX IF NOT EXISTS runs_newest_top_level ON ${runs} (created_at, id) WHERE parent_id IS NULL`,
    `CREATE INDEX IF NOT EXISTS runs_by_status ON ${runs} (status, created_at, id)`,
    `CREATE INDEX IF NOT EXISTS runs_by_parent ON ${runs} (parent_id, created_at, id) WHERE parent_id IS NOT NULL`,
    `CREATE INDEX IF NOT EXISTS runs_by_tenant ON ${runs} (tenant, created_at, id)`,
    `CREATE INDEX IF NOT EXISTS runs_by_tenant_top_level ON ${runs} (tenant, created_at, id) WHERE parent_id IS NULL`,
    `CREATE INDEX IF NOT EXISTS runs_by_tenant_status ON ${runs} (tenant, status, created_at, id)`,
  ];
}

export const latestSchemaVersion = (migrations.at(-1) as Migration).version;

/** The version table, created before anything else: one row per change applied. */
export function versionTableSql(table: TableName): string {
  return `CREATE TABLE IF NOT EXISTS ${table("schema_migrations")} (version INTEGER PRIMARY KEY, change TEXT NOT NULL, applied_at TEXT NOT NULL)`;
}

/**
 * The changes a database at `current` still needs, in order. A database newer than this Ponder
 * is refused: writing it with an older idea of its tables could lose what the newer one keeps.
 */
export function pendingMigrations(current: number, where: string): Migration[] {
  if (current > latestSchemaVersion) {
    throw new Error(
      `${where} has schema version ${current}, newer than this Ponder knows (${latestSchemaVersion}). Upgrade Ponder on this machine to use it.`,
    );
  }
  return migrations.filter((migration) => migration.version > current);
}
