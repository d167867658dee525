// Extracted texts, kept apart from index.json so loading the index does not read them: a search
// reads only the few texts it shows snippets of. They live in one SQLite file (texts.db, WAL),
// keyed by content hash: a file per text costs several system calls per document (storing 10,000
// texts took 0.7-5 s as files, 0.15 s in SQLite, on the development machine). Writers add texts before writing the index that names them and delete texts
// only after an index that no longer names them is in place; readers never block.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";

export function hashOf(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex").slice(0, 32);
}

export function textStorePath(directory: string): string {
  return join(directory, "texts.db");
}

// Texts are committed in batches: one transaction per text would be slow, one for a whole
// folder of PDFs would grow the write-ahead log without bound.
const batchBytes = 16 * 1024 * 1024;

/** The writer's handle; only the holder of the index lock opens one. */
export class TextWriter {
  private readonly database: Database.Database;
  private readonly insert: Database.Statement<[string, string]>;
  private pendingBytes = 0;

  constructor(directory: string) {
    mkdirSync(directory, { recursive: true });
    this.database = new Database(textStorePath(directory));
    this.database.pragma("journal_mode = WAL");
    this.database.pragma("synchronous = NORMAL");
    this.database.exec("CREATE TABLE IF NOT EXISTS texts (hash TEXT PRIMARY KEY, text TEXT NOT NULL)");
    this.insert = this.database.prepare("INSERT OR IGNORE INTO texts (hash, text) VALUES (?, ?)");
  }

  /** Stores `text` (once per distinct text) and returns its hash; visible to readers after `commit`. */
  save(text: string): string {
    const hash = hashOf(text);
    if (!this.database.inTransaction) this.database.exec("BEGIN");
    this.insert.run(hash, text);
    this.pendingBytes += text.length;
    if (this.pendingBytes >= batchBytes) this.commit();
    return hash;
  }

  commit(): void {
    if (this.database.inTransaction) this.database.exec("COMMIT");
    this.pendingBytes = 0;
  }

  /** Deletes texts that no document uses any more. */
  removeUnused(used: ReadonlySet<string>): void {
    const stored = this.database.prepare("SELECT hash FROM texts").pluck().all() as string[];
    const remove = this.database.prepare("DELETE FROM texts WHERE hash = ?");
    this.database.transaction(() => {
      for (const hash of stored) if (!used.has(hash)) remove.run(hash);
    })();
  }

  /** Closes the handle; texts saved since the last commit are dropped (the update failed). */
  close(): void {
    if (this.database.inTransaction) this.database.exec("ROLLBACK");
    this.database.close();
  }
}

/** The stored texts among `hashes`; a text missing here was removed by an update after this reader loaded its index. */
export function readTexts(directory: string, hashes: readonly string[]): Map<string, string> {
  const texts = new Map<string, string>();
  const path = textStorePath(directory);
  if (hashes.length === 0 || !existsSync(path)) return texts;
  const database = new Database(path);
  database.pragma("busy_timeout = 5000");
  try {
    const select = database.prepare("SELECT text FROM texts WHERE hash = ?").pluck();
    for (const hash of hashes) {
      const text = select.get(hash) as string | undefined;
      if (text !== undefined) texts.set(hash, text);
    }
  } finally {
    database.close();
  }
  return texts;
}
