import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import type { RunRecord } from "../../src/core/run.js";
import type { StoredItem } from "../../src/store/run-store.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { deriveRunState } from "../../src/loop/run-state.js";
import { resumeRun } from "../../src/library/start-run.js";
import { ScriptedModel } from "../../src/models/scripted-model.js";
import { runSummaryJson } from "../../src/library/run-summary.js";
import { temporaryHome } from "../support/temporary-home.js";
import { testTools } from "../support/test-tools.js";

// Runs saved by earlier versions of Ponder, frozen as JSON. They must keep loading, rendering and
// (when unfinished) resuming. Never edit a fixture: add a new one when the schema changes.
const fixtureDirectory = fileURLToPath(new URL("../../../test/fixtures/runs", import.meta.url));
type Fixture = { record: RunRecord; items: StoredItem[] };

function loadFixtures(): [string, Fixture][] {
  return readdirSync(fixtureDirectory)
    .filter((name) => name.endsWith(".json"))
    .map((name) => [name, JSON.parse(readFileSync(join(fixtureDirectory, name), "utf8")) as Fixture]);
}

async function storeWith(fixture: Fixture, path = ":memory:"): Promise<SqliteRunStore> {
  const store = new SqliteRunStore(path);
  await store.createRun(fixture.record);
  for (const stored of fixture.items) await store.appendItems(fixture.record.id, stored.step, [stored.item]);
  return store;
}

test("the fixture corpus is not empty", () => {
  assert.ok(loadFixtures().length >= 3);
});

for (const [name, fixture] of loadFixtures()) {
  test(`saved run ${name} loads, derives its state and renders`, async () => {
    const store = await storeWith(fixture);
    const record = await store.getRun(fixture.record.id);
    assert.ok(record);
    assert.equal(record.status, fixture.record.status);
    const items = (await store.listItems(record.id)).map((stored) => stored.item);
    assert.equal(items.length, fixture.items.length);
    const state = deriveRunState(items);
    assert.equal(state.answered, record.status === "completed");
    const summary = runSummaryJson(record);
    assert.equal(summary.id, record.id);
    assert.equal(typeof summary.created_at, "string");
    await store.close();
  });
}

test("a saved run waiting for approval resumes after approval", async () => {
  const fixture = loadFixtures().find(([name]) => name === "v1-awaiting-approval.json")?.[1];
  assert.ok(fixture);
  const home = temporaryHome();
  const store = await storeWith(fixture, join(home.path, "ponder.db"));
  try {
    const state = deriveRunState((await store.listItems(fixture.record.id)).map((stored) => stored.item));
    const [request] = [...state.openApprovals.values()];
    assert.ok(request);
    await store.appendItems(fixture.record.id, 1, [
      { type: "approval_response", id: "aps_fixture", call_id: request.call_id, approve: true },
    ]);
    const { tools, executed } = testTools();
    const handle = await resumeRun(fixture.record.id, {
      model: new ScriptedModel([{ text: "Sent." }]),
      tools,
      store,
      home: home.path,
      env: {},
    });
    const record = await handle.result;
    assert.equal(record.status, "completed");
    assert.deepEqual(executed, ["send_email:ada@example.com"]);
  } finally {
    await store.close();
    home.remove();
  }
});
