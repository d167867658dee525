import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emptyUsage } from "../../src/core/budget.js";
import { runSchemaVersion, type RunRecord } from "../../src/core/run.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";

function record(id: string, createdAt: string, status: RunRecord["status"] = "queued"): RunRecord {
  return {
    schemaVersion: runSchemaVersion,
    id,
    status,
    spec: { model: "scripted:test", input: "question", effort: "low", budget: {}, tools: [] },
    createdAt,
    updatedAt: createdAt,
    usage: emptyUsage(),
  };
}

test("runs and items survive reopening the database, in order", async () => {
  const directory = mkdtempSync(join(tmpdir(), "ponder-store-"));
  try {
    const path = join(directory, "ponder.db");
    const store = new SqliteRunStore(path);
    await store.createRun(record("run_a", "2026-01-01T00:00:00.000Z"));
    await store.createRun(record("run_b", "2026-01-02T00:00:00.000Z", "running"));
    await store.appendItems("run_a", 0, [{ type: "message", id: "m1", role: "user", content: [{ type: "input_text", text: "hi" }] }]);
    const updated = { ...record("run_a", "2026-01-01T00:00:00.000Z", "completed"), usage: { ...emptyUsage(), steps: 1 } };
    await store.appendItems("run_a", 1, [{ type: "note", id: "n1", kind: "info", text: "two" }], updated);
    await store.close();

    const reopened = new SqliteRunStore(path);
    const runs = await reopened.listRuns();
    assert.deepEqual(runs.map((run) => run.id), ["run_b", "run_a"], "newest first");
    assert.deepEqual((await reopened.listRuns({ status: "running" })).map((run) => run.id), ["run_b"]);
    const items = await reopened.listItems("run_a");
    assert.deepEqual(items.map((stored) => [stored.seq, stored.step, stored.item.id]), [[0, 0, "m1"], [1, 1, "n1"]]);
    assert.equal((await reopened.getRun("run_a"))?.usage.steps, 1, "the record was saved with the items");
    assert.equal((await reopened.getRun("run_a"))?.status, "completed");
    await reopened.appendItems("run_a", 1, [{ type: "note", id: "n2", kind: "info", text: "three" }]);
    assert.equal((await reopened.listItems("run_a")).at(-1)?.seq, 2, "sequence continues after reopening");
    await reopened.close();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test("updating a missing run says which run", async () => {
  const store = new SqliteRunStore(":memory:");
  await assert.rejects(store.updateRun("run_missing", { status: "running" }), /run_missing/);
  await store.close();
});

test("a run saved by a newer schema is refused with a clear message", async () => {
  const store = new SqliteRunStore(":memory:");
  await store.createRun({ ...record("run_new", "2026-01-01T00:00:00.000Z"), schemaVersion: runSchemaVersion + 1 });
  await assert.rejects(store.getRun("run_new"), /newer Ponder/);
  await store.close();
});
