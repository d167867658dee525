import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Item } from "../../src/core/items.js";
import { openRunControls } from "../../src/queue/open-run-controls.js";
import { advanceStoredRun } from "../../src/queue/run-advancer.js";
import { PostgresRunStore } from "../../src/store/postgres-run-store.js";
import { temporarySchema, testDatabaseUrl } from "../store/contract-postgres-schema.js";
import { record } from "../store/run-store-contract.js";
import { controlsPlaces } from "./controls-test-places.js";

const question: Item = { type: "message", id: "m1", role: "user", content: [{ type: "input_text", text: "question" }] };
const note: Item = { type: "note", id: "n1", kind: "info", text: 'a note with "quotes", \\ and ünïcode' };

for (const [name, makePlace] of Object.entries(controlsPlaces)) {
  test(`${name}: a run read to be advanced comes with its items and takes its open requests, each once`, async () => {
    const place = makePlace();
    const store = place.open();
    const controls = openRunControls(store);
    try {
      await store.createRun(record("run_q", "2026-01-01T00:00:00.000Z", "queued"));
      // Twelve items: numbered past 9, so an order by text instead of number would show.
      const more: Item[] = Array.from({ length: 10 }, (_, index) => ({
        type: "note",
        id: `n${index + 2}`,
        kind: "info",
        text: `${index}`,
      }));
      await store.appendItems("run_q", 0, [question, note]);
      await store.appendItems("run_q", 1, more);
      await controls.steer("run_q", "first");
      await controls.steer("run_other", "another run's");
      await controls.steer("run_q", "second", { interrupt: true });
      await controls.cancel("run_q");

      const [one, two] = await Promise.all([store.readRunToAdvance("run_q"), store.readRunToAdvance("run_q")]);
      assert.equal(one?.record.id, "run_q");
      assert.equal(one?.record.status, "queued");
      assert.deepEqual(one?.items, await store.listItems("run_q"), "the items as listItems gives them");
      assert.deepEqual(
        one?.items.map((stored) => stored.item),
        [question, note, ...more],
      );
      assert.deepEqual(two?.items, one?.items);
      assert.deepEqual(
        [...(one?.controls ?? []), ...(two?.controls ?? [])],
        [
          { kind: "steer", text: "first" },
          { kind: "interrupt", text: "second" },
          { kind: "cancel", text: null },
        ],
        "oldest first, and taken by one of two readers only",
      );
      assert.deepEqual(await controls.take("run_q"), [], "taken requests are not delivered again");
      assert.deepEqual(await controls.take("run_other"), [{ kind: "steer", text: "another run's" }], "another run's stay");
      assert.equal(await store.readRunToAdvance("run_missing"), undefined);
    } finally {
      await controls.close();
      await store.close();
      await place.remove();
    }
  });

  test(`${name}: a running, completed or cancelled run's requests are left for whoever advances it`, async () => {
    const place = makePlace();
    const store = place.open();
    const controls = openRunControls(store);
    try {
      for (const status of ["running", "completed", "cancelled"] as const) {
        const id = `run_${status}`;
        await store.createRun(record(id, "2026-01-01T00:00:00.000Z", status));
        await controls.steer(id, "for the owner");
        const read = await store.readRunToAdvance(id);
        assert.equal(read?.record.status, status);
        assert.deepEqual(read?.controls, []);
        assert.deepEqual(await controls.take(id), [{ kind: "steer", text: "for the owner" }], `${status}: still open`);
      }
      await store.createRun(record("run_paused", "2026-01-01T00:00:00.000Z", "paused"));
      await controls.cancel("run_paused");
      assert.deepEqual((await store.readRunToAdvance("run_paused"))?.controls, [{ kind: "cancel", text: null }]);
    } finally {
      await controls.close();
      await store.close();
      await place.remove();
    }
  });
}

test("postgres: a worker advances a queued one-turn run in three statements, and a steer sent while it was queued reaches it", async () => {
  const schema = temporarySchema();
  const store = new PostgresRunStore({ url: testDatabaseUrl, schema: schema.name });
  const controls = openRunControls(store);
  const home = mkdtempSync(join(tmpdir(), "ponder-read-to-advance-home-"));
  try {
    const script = join(home, "script.json");
    writeFileSync(script, JSON.stringify([{ text: "done" }]));
    const queued = record("run_one_turn", "2026-01-01T00:00:00.000Z", "queued");
    await store.createRun({ ...queued, spec: { ...queued.spec, model: `scripted:${script}` } });
    await controls.steer("run_one_turn", "answer in one word");

    const statements: string[] = [];
    const query = store.connection.query.bind(store.connection);
    store.connection.query = ((sql: string, values?: unknown[]) => {
      statements.push(sql);
      return query(sql, values);
    }) as typeof store.connection.query;
    const outcome = await advanceStoredRun("run_one_turn", { store, controls, home, env: {} }, () => false);

    assert.equal(outcome.kind, "stopped");
    assert.equal(outcome.kind === "stopped" && outcome.record.status, "completed");
    assert.equal(statements.length, 3, `one read, two checkpoints; sent:\n${statements.join("\n---\n")}`);
    const texts = (await store.listItems("run_one_turn")).flatMap(({ item }) =>
      item.type === "message" ? item.content.flatMap((part) => ("text" in part ? [part.text] : [])) : [],
    );
    assert.ok(texts.includes("answer in one word"), `the steer is in the run: ${JSON.stringify(texts)}`);
    assert.ok(texts.includes("done"), "the model's answer is stored");
  } finally {
    await controls.close();
    await store.close();
    await schema.drop();
    rmSync(home, { recursive: true, force: true });
  }
});
