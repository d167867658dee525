import { test } from "node:test";
import assert from "node:assert/strict";
import { emptyUsage } from "../../src/core/budget.js";
import { runSchemaVersion, type RunRecord, type StepUsage } from "../../src/core/run.js";
import type { RunStore } from "../../src/store/run-store.js";

/** One place holding runs: `open` may be called several times (reopening), `remove` deletes it. */
export type StoreLocation = { open: () => RunStore; remove: () => Promise<void> };

export function record(id: string, createdAt: string, status: RunRecord["status"] = "queued", extra: Partial<RunRecord> = {}): RunRecord {
  return {
    schemaVersion: runSchemaVersion,
    id,
    status,
    spec: { model: "scripted:test", input: "question", effort: "low", budget: {}, tools: [] },
    createdAt,
    updatedAt: createdAt,
    usage: emptyUsage(),
    ...extra,
  };
}

function stepUsage(step: number): StepUsage {
  return {
    step,
    model: "scripted:test",
    inputTokens: 10 * step,
    outputTokens: 1,
    reasoningTokens: 0,
    cachedInputTokens: 0,
    costUsd: 0,
    durationMs: 5,
    finishReason: "stop",
  };
}

async function withStore(
  location: () => Promise<StoreLocation>,
  body: (store: RunStore, location: StoreLocation) => Promise<void>,
): Promise<void> {
  const place = await location();
  const store = place.open();
  try {
    await body(store, place);
  } finally {
    await store.close();
    await place.remove();
  }
}

/** The RunStore contract: every store (SQLite, PostgreSQL) must pass the same tests. */
export function runStoreContract(name: string, location: () => Promise<StoreLocation>): void {
  test(`${name}: runs and items survive reopening the store, in order`, () =>
    withStore(location, async (store, place) => {
      await store.createRun(record("run_a", "2026-01-01T00:00:00.000Z"));
      await store.createRun(record("run_b", "2026-01-02T00:00:00.000Z", "running"));
      await store.appendItems("run_a", 0, [{ type: "message", id: "m1", role: "user", content: [{ type: "input_text", text: "hi" }] }]);
      const updated = { ...record("run_a", "2026-01-01T00:00:00.000Z", "completed"), usage: { ...emptyUsage(), steps: 1 } };
      await store.appendItems("run_a", 1, [{ type: "note", id: "n1", kind: "info", text: "two" }], updated, stepUsage(1));

      const reopened = place.open();
      try {
        assert.deepEqual(
          (await reopened.listRuns()).map((run) => run.id),
          ["run_b", "run_a"],
          "newest first",
        );
        assert.deepEqual(
          (await reopened.listRuns({ status: "running" })).map((run) => run.id),
          ["run_b"],
        );
        const items = await reopened.listItems("run_a");
        assert.deepEqual(
          items.map((stored) => [stored.seq, stored.step, stored.item.id]),
          [
            [0, 0, "m1"],
            [1, 1, "n1"],
          ],
        );
        assert.equal((await reopened.getRun("run_a"))?.usage.steps, 1, "the record was saved with the items");
        assert.equal((await reopened.getRun("run_a"))?.status, "completed");
        assert.deepEqual(await reopened.listSteps("run_a"), [stepUsage(1)]);
        await reopened.appendItems("run_a", 1, [{ type: "note", id: "n2", kind: "info", text: "three" }]);
        assert.equal((await reopened.listItems("run_a")).at(-1)?.seq, 2, "sequence continues after reopening");
        assert.deepEqual(
          (await reopened.listItems("run_a", 0)).map((stored) => stored.seq),
          [1, 2],
          "only the items after a seq",
        );
        assert.deepEqual(await reopened.listItems("run_a", 2), []);
      } finally {
        await reopened.close();
      }
    }));

  test(`${name}: listing by conversation gives its follow-up turns, newest first`, () =>
    withStore(location, async (store) => {
      await store.createRun(record("run_c1", "2026-01-01T00:00:00.000Z", "completed"));
      await store.createRun(
        record("run_c2", "2026-01-02T00:00:00.000Z", "completed", { conversationId: "run_c1", previousRunId: "run_c1" }),
      );
      await store.createRun(record("run_other", "2026-01-02T12:00:00.000Z", "completed"));
      await store.createRun(record("run_c3", "2026-01-03T00:00:00.000Z", "queued", { conversationId: "run_c1", previousRunId: "run_c2" }));
      assert.deepEqual(
        (await store.listRuns({ conversationId: "run_c1" })).map((run) => run.id),
        ["run_c3", "run_c2"],
      );
      assert.deepEqual(
        (await store.listRuns({ conversationId: "run_c1", limit: 1 })).map((run) => run.id),
        ["run_c3"],
      );
      assert.deepEqual(await store.listRuns({ conversationId: "run_other" }), []);
    }));

  test(`${name}: listing filters by status, parent, top level and tenant, and honours the limit`, () =>
    withStore(location, async (store) => {
      await store.createRun(record("run_1", "2026-01-01T00:00:00.000Z", "queued", { tenant: "acme" }));
      await store.createRun(record("run_2", "2026-01-02T00:00:00.000Z", "running", { tenant: "globex" }));
      await store.createRun(record("run_3", "2026-01-03T00:00:00.000Z", "queued", { tenant: "acme", parentId: "run_1" }));
      await store.createRun(record("run_4", "2026-01-04T00:00:00.000Z", "queued"));
      const ids = async (filter: Parameters<RunStore["listRuns"]>[0]) => (await store.listRuns(filter)).map((run) => run.id);
      assert.deepEqual(await ids({ tenant: "acme" }), ["run_3", "run_1"]);
      assert.deepEqual(await ids({ tenant: "globex" }), ["run_2"]);
      assert.deepEqual(await ids({ tenant: "nobody" }), []);
      assert.deepEqual(await ids({ parentId: "run_1" }), ["run_3"]);
      assert.deepEqual(await ids({ topLevel: true, tenant: "acme" }), ["run_1"], "a strategy's children are left out");
      assert.deepEqual(await ids({ status: "queued", tenant: "acme" }), ["run_3", "run_1"]);
      assert.deepEqual(await ids({ limit: 2 }), ["run_4", "run_3"]);
      assert.equal((await store.getRun("run_2"))?.tenant, "globex");
    }));

  test(`${name}: pages after a run's id walk the whole list once, newest first, also through equal timestamps`, () =>
    withStore(location, async (store) => {
      // Runs created in the same millisecond are ordered by id: no page boundary loses or repeats one.
      const created = Array.from({ length: 23 }, (_, index) => {
        const at = `2026-02-${String(1 + Math.floor(index / 3)).padStart(2, "0")}T00:00:00.000Z`;
        return record(`run_p${String(index).padStart(2, "0")}`, at, index % 4 === 0 ? "failed" : "completed", {
          ...(index % 5 === 4 ? { parentId: `run_p${String(index - 1).padStart(2, "0")}` } : {}),
        });
      });
      for (const run of [...created].reverse()) await store.createRun(run);
      const newestFirst = (runs: RunRecord[]) =>
        [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id)).map((run) => run.id);
      const walk = async (filter: Parameters<RunStore["listRuns"]>[0]) => {
        const seen: string[] = [];
        for (let after: string | undefined; ;) {
          const page = await store.listRuns({ ...filter, limit: 4, ...(after ? { after } : {}) });
          seen.push(...page.map((run) => run.id));
          if (page.length < 4) return seen;
          after = page.at(-1)?.id;
        }
      };
      assert.deepEqual(await walk({}), newestFirst(created));
      assert.deepEqual(await walk({ topLevel: true }), newestFirst(created.filter((run) => !run.parentId)));
      assert.deepEqual(await walk({ status: "failed" }), newestFirst(created.filter((run) => run.status === "failed")));
      assert.deepEqual(
        (await store.listRuns({ after: "run_p10", limit: 3 })).map((run) => run.id),
        ["run_p09", "run_p08", "run_p07"],
      );
      assert.deepEqual(await store.listRuns({ after: "run_not_stored" }), [], "after a run that is not stored: nothing");
    }));

  test(`${name}: updateRun patches, saveRun replaces, and both name a missing run`, () =>
    withStore(location, async (store) => {
      await store.createRun(record("run_u", "2026-01-01T00:00:00.000Z"));
      const patched = await store.updateRun("run_u", { status: "running", startedAt: "2026-01-01T00:00:01.000Z" });
      assert.equal(patched.status, "running");
      assert.equal((await store.getRun("run_u"))?.startedAt, "2026-01-01T00:00:01.000Z");
      assert.deepEqual(
        (await store.listRuns({ status: "running" })).map((run) => run.id),
        ["run_u"],
        "the status column follows the record",
      );
      await store.saveRun({ ...patched, status: "failed", error: { code: "x", message: "y" } });
      assert.equal((await store.getRun("run_u"))?.error?.message, "y");
      await assert.rejects(store.updateRun("run_missing", { status: "running" }), /run_missing/);
      await assert.rejects(store.saveRun(record("run_gone", "2026-01-01T00:00:00.000Z")), /run_gone/);
      assert.equal(await store.getRun("run_missing"), undefined);
    }));

  test(`${name}: appends from two connections at once get distinct, gapless sequence numbers`, () =>
    withStore(location, async (store, place) => {
      await store.createRun(record("run_c", "2026-01-01T00:00:00.000Z"));
      const other = place.open();
      try {
        const note = (text: string) => ({ type: "note" as const, id: text, kind: "info" as const, text });
        await Promise.all(
          Array.from({ length: 20 }, (_, index) =>
            (index % 2 === 0 ? store : other).appendItems("run_c", 0, [note(`a${index}`), note(`b${index}`)]),
          ),
        );
        const items = await store.listItems("run_c");
        assert.deepEqual(
          items.map((stored) => stored.seq),
          Array.from({ length: 40 }, (_, index) => index),
        );
        for (let index = 0; index < 20; index++) {
          const first = items.findIndex((stored) => stored.item.id === `a${index}`);
          assert.equal(items[first + 1]?.item.id, `b${index}`, "one append's items stay together");
        }
      } finally {
        await other.close();
      }
    }));

  test(`${name}: text with NUL and unicode round-trips exactly`, () =>
    withStore(location, async (store) => {
      await store.createRun(record("run_t", "2026-01-01T00:00:00.000Z"));
      const text = "nul \u0000 here, émoji 🧪, quote ' and \" and \\";
      await store.appendItems("run_t", 0, [{ type: "note", id: "n", kind: "info", text }]);
      const [stored] = await store.listItems("run_t");
      assert.deepEqual(stored?.item, { type: "note", id: "n", kind: "info", text });
    }));

  test(`${name}: a run saved by a newer schema is refused with a clear message`, () =>
    withStore(location, async (store) => {
      await store.createRun({ ...record("run_new", "2026-01-01T00:00:00.000Z"), schemaVersion: runSchemaVersion + 1 });
      await assert.rejects(store.getRun("run_new"), /newer Ponder/);
    }));

  test(`${name}: an owner fence lets only the session that holds the run write`, () =>
    withStore(location, async (store) => {
      const owned = (token: string) => ({
        ...record("run_f", "2026-01-01T00:00:00.000Z", "running"),
        owner: { pid: 1, host: "h", heartbeatAt: "2026-01-01T00:00:00.000Z", token },
      });
      await store.createRun(record("run_f", "2026-01-01T00:00:00.000Z", "running"));
      const note = (id: string) => ({ type: "note" as const, id, kind: "info" as const, text: id });
      // Taking over a run that names no owner token, then writing as its owner.
      await store.appendItems("run_f", 0, [note("a")], owned("first"), undefined, { expectedToken: undefined });
      await store.saveRun(owned("first"), { expectedToken: "first" });
      // A second session takes the run over from the first.
      await store.appendItems("run_f", 1, [note("b")], owned("second"), undefined, { expectedToken: "first" });
      // The first session wakes up: both kinds of write are refused and nothing of them is stored.
      await assert.rejects(store.appendItems("run_f", 1, [note("late")], owned("first"), undefined, { expectedToken: "first" }), {
        code: "run_taken_over",
      });
      await assert.rejects(store.saveRun(owned("first"), { expectedToken: "first" }), { code: "run_taken_over" });
      // Also when the late write would change the status.
      await assert.rejects(store.saveRun({ ...owned("first"), status: "completed" }, { expectedToken: "first" }), {
        code: "run_taken_over",
      });
      assert.deepEqual(
        (await store.listItems("run_f")).map((stored) => stored.item.id),
        ["a", "b"],
      );
      assert.equal((await store.getRun("run_f"))?.owner?.token, "second");
      assert.equal((await store.getRun("run_f"))?.status, "running");
      // The owner's own status change is stored, and the run is listed under its new status.
      await store.saveRun({ ...owned("second"), status: "completed" }, { expectedToken: "second" });
      assert.deepEqual(
        (await store.listRuns({ status: "completed" })).map((run) => run.id),
        ["run_f"],
      );
      await assert.rejects(store.saveRun({ ...owned("x"), id: "run_missing" }, { expectedToken: "x" }), { code: "run_not_found" });
    }));

  test(`${name}: deleting a run removes it with its items and steps; other runs stay`, () =>
    withStore(location, async (store) => {
      await store.createRun(record("run_d", "2026-01-01T00:00:00.000Z"));
      await store.createRun(record("run_e", "2026-01-02T00:00:00.000Z"));
      const note = (id: string) => ({ type: "note" as const, id, kind: "info" as const, text: id });
      await store.appendItems("run_d", 1, [note("d1")], record("run_d", "2026-01-01T00:00:00.000Z", "completed"), stepUsage(1));
      await store.appendItems("run_e", 0, [note("e1")]);
      assert.equal(await store.deleteRun("run_d"), true);
      assert.equal(await store.getRun("run_d"), undefined);
      assert.deepEqual(await store.listItems("run_d"), []);
      assert.deepEqual(await store.listSteps("run_d"), []);
      assert.deepEqual(
        (await store.listRuns()).map((run) => run.id),
        ["run_e"],
      );
      assert.deepEqual(
        (await store.listItems("run_e")).map((stored) => stored.item.id),
        ["e1"],
      );
      assert.equal(await store.deleteRun("run_d"), false, "a second delete finds nothing");
    }));
}
