// RunJournal's background checkpoints (appendSoon): the next model request may go out before they
// commit, but the stored log never gets a gap, events keep their order and are announced only
// once what they describe is durable.
import { test } from "node:test";
import assert from "node:assert/strict";
import { emptyUsage } from "../../src/core/budget.js";
import type { RunEvent } from "../../src/core/events.js";
import type { Item } from "../../src/core/items.js";
import { runSchemaVersion, type RunRecord } from "../../src/core/run.js";
import { RunJournal, type NewItem } from "../../src/loop/run-journal.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";

const note = (text: string): NewItem => ({ type: "note", kind: "info", text });

async function openJournal(options: { failAppend?: number } = {}) {
  const store = new SqliteRunStore(":memory:");
  const now = new Date().toISOString();
  const record: RunRecord = {
    schemaVersion: runSchemaVersion,
    id: "run_journal",
    status: "queued",
    spec: { model: "scripted:test", input: "q", effort: "low", budget: {}, tools: [] },
    createdAt: now,
    updatedAt: now,
    usage: emptyUsage(),
  };
  await store.createRun(record);
  let appends = 0;
  const appendItems = store.appendItems.bind(store);
  // The n-th append fails the way a full disk would.
  store.appendItems = async (...args) => (++appends === options.failAppend ? Promise.reject(new Error("disk full")) : appendItems(...args));
  const events: RunEvent[] = [];
  const journal = new RunJournal(record, [], store, (event) => events.push(event));
  const storedTexts = async () =>
    (await store.listItems(record.id)).map((stored) => (stored.item.type === "note" ? stored.item.text : stored.item.type));
  const announced = () =>
    events.map((event) => (event.type === "item-added" && event.item.type === "note" ? `item:${event.item.text}` : event.type));
  return { store, journal, events, storedTexts, announced };
}

test("an appendSoon is in memory at once, durable with its commit, and announced only then", async () => {
  const { store, journal, storedTexts, announced } = await openJournal();
  try {
    const { items, durable } = journal.appendSoon([note("a")], { status: "running" });
    assert.deepEqual(
      journal.items.map((item: Item) => item.id),
      items.map((item) => item.id),
      "the next model request sees it",
    );
    assert.equal(journal.record.status, "running");
    journal.emit({ type: "step-started", runId: journal.runId, step: 1, final: false });
    assert.deepEqual(announced(), [], "held until the checkpoint before it is durable");
    await durable;
    assert.deepEqual(await storedTexts(), ["a"]);
    assert.deepEqual(announced(), ["item:a", "step-started"], "in the order they happened");
  } finally {
    await store.close();
  }
});

test("appends after a background checkpoint are stored after it, in order", async () => {
  const { store, journal, storedTexts, announced } = await openJournal();
  try {
    journal.appendSoon([note("a")]);
    journal.appendSoon([note("b")]);
    await journal.append([note("c")]);
    assert.deepEqual(await storedTexts(), ["a", "b", "c"]);
    assert.deepEqual(announced(), ["item:a", "item:b", "item:c"]);
  } finally {
    await store.close();
  }
});

test("a background checkpoint that fails fails the writes after it, so the log has no gap; the failure can still be recorded", async () => {
  const { store, journal, storedTexts, announced } = await openJournal({ failAppend: 2 });
  try {
    await journal.append([note("a")]);
    const { durable } = journal.appendSoon([note("b")]);
    const later = journal.appendSoon([note("c")]);
    journal.emit({ type: "step-started", runId: journal.runId, step: 2, final: false });
    await assert.rejects(durable, /disk full/);
    await assert.rejects(later.durable, /disk full/);
    await assert.rejects(journal.append([note("d")]), /disk full/);
    await assert.rejects(journal.heartbeat(), /disk full/);
    assert.deepEqual(await storedTexts(), ["a"], "nothing after the failed checkpoint was stored");
    assert.deepEqual(announced(), ["item:a", "step-started"], "what was never stored was never announced");

    await journal.fail({ status: "failed", error: { code: "internal_error", message: "disk full" } });
    assert.equal((await store.getRun(journal.runId))?.status, "failed");
  } finally {
    await store.close();
  }
});

test("a heartbeat due while the last checkpoint commits writes nothing after it", async () => {
  const { store, journal } = await openJournal();
  try {
    await journal.append([note("a")], { status: "running" });
    const saveRun = store.saveRun.bind(store);
    const saved: string[] = [];
    store.saveRun = async (record, fence) => {
      saved.push(record.status);
      return saveRun(record, fence);
    };
    await journal.heartbeat();
    assert.deepEqual(saved, ["running"], "a running run's heartbeat is written");
    const { durable } = journal.appendSoon([note("answer")], { status: "completed", finishedAt: new Date().toISOString() });
    await journal.heartbeat();
    await durable;
    assert.deepEqual(saved, ["running"], "none after the final checkpoint");
    assert.equal((await store.getRun(journal.runId))?.status, "completed");
  } finally {
    await store.close();
  }
});
