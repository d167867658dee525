import { test } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { record, runStoreContract } from "./run-store-contract.js";

runStoreContract("sqlite", async () => {
  const directory = mkdtempSync(join(tmpdir(), "ponder-store-"));
  const path = join(directory, "ponder.db");
  return { open: () => new SqliteRunStore(path), remove: async () => rmSync(directory, { recursive: true, force: true }) };
});

test("sqlite: a database made before runs had tenant and owner columns opens, and its owners still fence writes", async () => {
  const directory = mkdtempSync(join(tmpdir(), "ponder-store-"));
  const path = join(directory, "ponder.db");
  try {
    const old = new Database(path);
    old.exec("CREATE TABLE runs (id TEXT PRIMARY KEY, parent_id TEXT, status TEXT NOT NULL, created_at TEXT NOT NULL, record TEXT NOT NULL)");
    const owned = { ...record("run_old", "2026-01-01T00:00:00.000Z", "running"), owner: { pid: 1, host: "h", heartbeatAt: "2026-01-01T00:00:00.000Z", token: "holder" } };
    old.prepare("INSERT INTO runs VALUES (?, NULL, 'running', ?, ?)").run(owned.id, owned.createdAt, JSON.stringify(owned));
    old.close();

    const store = new SqliteRunStore(path);
    try {
      assert.deepEqual((await store.listRuns({})).map((run) => run.id), ["run_old"]);
      await assert.rejects(store.saveRun({ ...owned, owner: { ...owned.owner, token: "intruder" } }, { expectedToken: "someone-else" }), { code: "run_taken_over" });
      await store.saveRun({ ...owned, status: "completed" }, { expectedToken: "holder" });
      assert.equal((await store.getRun("run_old"))?.status, "completed");
    } finally {
      await store.close();
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
