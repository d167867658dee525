import { test } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { temporaryHome, withDatabasePath } from "../support/temporary-home.js";
import { record, runStoreContract } from "./run-store-contract.js";

runStoreContract("sqlite", async () => {
  const home = temporaryHome();
  const path = join(home.path, "ponder.db");
  return { open: () => new SqliteRunStore(path), remove: async () => home.remove() };
});

test("sqlite: a database made before runs had tenant and owner columns opens, and its owners still fence writes", () =>
  withDatabasePath(async (path) => {
    const old = new Database(path);
    old.exec(
      "CREATE TABLE runs (id TEXT PRIMARY KEY, parent_id TEXT, status TEXT NOT NULL, created_at TEXT NOT NULL, record TEXT NOT NULL)",
    );
    const owned = {
      ...record("run_old", "2026-01-01T00:00:00.000Z", "running"),
      owner: { pid: 1, host: "h", heartbeatAt: "2026-01-01T00:00:00.000Z", token: "holder" },
    };
    old.prepare("INSERT INTO runs VALUES (?, NULL, 'running', ?, ?)").run(owned.id, owned.createdAt, JSON.stringify(owned));
    old.close();

    const store = new SqliteRunStore(path);
    try {
      assert.deepEqual(
        (await store.listRuns({})).map((run) => run.id),
        ["run_old"],
      );
      await assert.rejects(store.saveRun({ ...owned, owner: { ...owned.owner, token: "intruder" } }, { expectedToken: "someone-else" }), {
        code: "run_taken_over",
      });
      await store.saveRun({ ...owned, status: "completed" }, { expectedToken: "holder" });
      assert.equal((await store.getRun("run_old"))?.status, "completed");
    } finally {
      await store.close();
    }
  }));

test("sqlite: a busy store's WAL is checkpointed by its worker thread, and closing leaves everything in the database file", () =>
  withDatabasePath(async (path) => {
    const store = new SqliteRunStore(path);
    await store.createRun(record("run_busy", "2026-01-01T00:00:00.000Z", "running"));
    const sizeBefore = statSync(path).size;
    // Fewer WAL pages than SQLite's own 1,000-page checkpoint: only the worker moves them.
    for (let step = 0; step < 150; step++)
      await store.appendItems("run_busy", step, [{ type: "note", id: `note_${step}`, kind: "info", text: "x".repeat(200) }]);
    const deadline = Date.now() + 10_000;
    while (statSync(path).size === sizeBefore && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(statSync(path).size > sizeBefore, "the database file took the checkpointed pages while the store was open");
    await store.close();
    assert.equal(existsSync(`${path}-wal`), false, "the last connection to close removes the WAL");
    const reopened = new SqliteRunStore(path);
    try {
      assert.equal((await reopened.listItems("run_busy")).length, 150);
    } finally {
      await reopened.close();
    }
  }));

test("sqlite: under writes that never pause, the WAL still starts over instead of growing without end", () =>
  withDatabasePath(async (path) => {
    const store = new SqliteRunStore(path);
    try {
      const runIds = Array.from({ length: 8 }, (_, index) => `run_busy_${index}`);
      for (const runId of runIds) await store.createRun(record(runId, "2026-01-01T00:00:00.000Z", "running"));
      let largestWal = 0;
      const watch = setInterval(
        () => (largestWal = Math.max(largestWal, existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0)),
        20,
      );
      const until = Date.now() + 2_000;
      let appended = 0;
      await Promise.all(
        runIds.map(async (runId) => {
          for (let step = 0; Date.now() < until; step++) {
            await store.appendItems(runId, step, [{ type: "note", id: `note_${appended++}`, kind: "info", text: "x".repeat(300) }], {
              ...record(runId, "2026-01-01T00:00:00.000Z", "running"),
              updatedAt: String(step),
            });
          }
        }),
      );
      clearInterval(watch);
      // Without the store's own catch-up checkpoints this reaches hundreds of MB in two seconds.
      assert.ok(
        largestWal < 48 * 1024 * 1024,
        `the WAL stayed small (largest ${(largestWal / 1024 / 1024).toFixed(1)} MB after ${appended} appends)`,
      );
    } finally {
      await store.close();
    }
  }));
