import Database from "better-sqlite3";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { newId } from "../core/ids.js";

const schema = `
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  salt TEXT NOT NULL,
  hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
`;

const activeCheckMs = 1000;

export type ApiKeyInfo = { id: string; tenant: string; createdAt: string; revokedAt?: string };

type KeyRow = { id: string; tenant: string; salt: string; hash: string; created_at: string; revoked_at: string | null };

/**
 * API keys of `ponder serve`, in the runs database. A key is `<id>.<secret>`: the id finds the
 * row, and only a salted SHA-256 of the 32-byte random secret is stored. A slow hash would add
 * nothing: the secret has 256 bits of entropy, so it cannot be guessed from the hash.
 */
export class ApiKeyStore {
  private readonly database: Database.Database;
  // Every request asks both: prepared once, since preparing costs more than the query.
  private readonly anyActive: Database.Statement<[], unknown>;
  private readonly activeById: Database.Statement<[string], KeyRow>;
  private activeChecked: { at: number; active: boolean } | undefined;

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.database = new Database(path);
    this.database.pragma("journal_mode = WAL");
    this.database.pragma("busy_timeout = 5000");
    this.database.exec(schema);
    this.anyActive = this.database.prepare("SELECT 1 FROM api_keys WHERE revoked_at IS NULL LIMIT 1");
    this.activeById = this.database.prepare<[string], KeyRow>("SELECT * FROM api_keys WHERE id = ? AND revoked_at IS NULL");
  }

  /** Makes a key; the returned `key` is the only time the secret exists outside the caller. */
  create(tenant: string): ApiKeyInfo & { key: string } {
    const id = newId("key");
    const secret = randomBytes(32).toString("base64url");
    const salt = randomBytes(16).toString("hex");
    const createdAt = new Date().toISOString();
    this.database
      .prepare("INSERT INTO api_keys (id, tenant, salt, hash, created_at) VALUES (?, ?, ?, ?, ?)")
      .run(id, tenant, salt, hashOf(salt, secret), createdAt);
    this.activeChecked = undefined;
    return { id, tenant, createdAt, key: `${id}.${secret}` };
  }

  list(): ApiKeyInfo[] {
    return this.database
      .prepare<[], KeyRow>("SELECT * FROM api_keys ORDER BY created_at, id")
      .all()
      .map((row) => ({
        id: row.id,
        tenant: row.tenant,
        createdAt: row.created_at,
        ...(row.revoked_at ? { revokedAt: row.revoked_at } : {}),
      }));
  }

  /** False when no active key has this id. */
  revoke(id: string): boolean {
    this.activeChecked = undefined;
    return (
      this.database.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(new Date().toISOString(), id)
        .changes > 0
    );
  }

  /**
   * Whether any key is active: then every request must carry one. Asked on every request, so the
   * answer is kept for a second: a key made by `ponder keys create` in another process takes
   * effect within that second (a key revoked takes effect at once: `verify` reads the row).
   */
  hasActiveKeys(): boolean {
    const now = Date.now();
    if (this.activeChecked === undefined || now - this.activeChecked.at > activeCheckMs)
      this.activeChecked = { at: now, active: this.anyActive.get() !== undefined };
    return this.activeChecked.active;
  }

  /** The tenant of an active key, or undefined for anything else. */
  verify(key: string): string | undefined {
    const dot = key.indexOf(".");
    if (dot <= 0) return undefined;
    const row = this.activeById.get(key.slice(0, dot));
    if (!row) return undefined;
    const expected = Buffer.from(row.hash, "hex");
    const actual = Buffer.from(hashOf(row.salt, key.slice(dot + 1)), "hex");
    return timingSafeEqual(expected, actual) ? row.tenant : undefined;
  }

  close(): void {
    this.database.close();
  }
}

function hashOf(salt: string, secret: string): string {
  return createHash("sha256").update(salt).update(secret).digest("hex");
}
