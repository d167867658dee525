// SqliteRunStore commits the writes made in one turn of the event loop together. These tests pin
// down what that must not change: every write is durable once its promise resolves, a failing
// write fails alone, and a run's items keep the order in which they were appended.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { RunNotFoundError } from "../../src/core/errors.js";
import type { Item } from "../../src/core/items.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { withDatabasePath } from "../support/temporary-home.js";
import { record } from "./run-store-contract.js";

const note = (id: string): Item => ({ type: "note", id, kind: "info", text: id });

test("writes made together are all durable: another connection sees each one once its promise resolves", () =>
  withDatabasePath(async (path) => {
    const store = new SqliteRunStore(path);
    const other = new SqliteRunStore(path);
    try {
      const ids = Array.from({ length: 50 }, (_, index) => `run_${String(index).padStart(2, "0")}`);
      await Promise.all(ids.map((id) => store.createRun(record(id, "2026-01-01T00:00:00.000Z"))));
      await Promise.all(
        ids.map(async (id) => {
          await store.appendItems(id, 1, [note(`${id}_a`)], record(id, "2026-01-01T00:00:00.000Z", "running"));
          assert.deepEqual(
            (await other.listItems(id)).map((stored) => stored.item.id),
            [`${id}_a`],
            "committed before the promise resolved",
          );
          assert.equal((await other.getRun(id))?.status, "running");
        }),
      );
      assert.equal((await other.listRuns({ status: "running" })).length, ids.length);
    } finally {
      await other.close();
      await store.close();
    }
  }));

test("a write that fails in a batch fails alone; the writes beside it commit", () =>
  withDatabasePath(async (path) => {
    const store = new SqliteRunStore(path);
    try {
      await store.createRun(record("run_a", "2026-01-01T00:00:00.000Z"));
      const results = await Promise.allSettled([
        store.appendItems("run_a", 0, [note("before")]),
        store.createRun(record("run_a", "2026-01-01T00:00:00.000Z")),
        store.saveRun(record("run_missing", "2026-01-01T00:00:00.000Z")),
        store.updateRun("run_missing", { status: "running" }),
        store.createRun(record("run_b", "2026-01-02T00:00:00.000Z")),
        store.appendItems("run_a", 0, [note("after")], record("run_a", "2026-01-01T00:00:00.000Z", "running")),
      ]);
      assert.deepEqual(
        results.map((result) => result.status),
        ["fulfilled", "rejected", "rejected", "rejected", "fulfilled", "fulfilled"],
      );
      assert.match(String((results[1] as PromiseRejectedResult).reason), /UNIQUE|PRIMARY KEY/);
      assert.ok((results[2] as PromiseRejectedResult).reason instanceof RunNotFoundError);
      assert.ok((results[3] as PromiseRejectedResult).reason instanceof RunNotFoundError);
    } finally {
      await store.close();
    }
    const reopened = new SqliteRunStore(path);
    try {
      assert.deepEqual(
        (await reopened.listItems("run_a")).map((stored) => [stored.seq, stored.item.id]),
        [
          [0, "before"],
          [1, "after"],
        ],
      );
      assert.equal((await reopened.getRun("run_a"))?.status, "running");
      assert.deepEqual(
        (await reopened.listRuns()).map((run) => run.id),
        ["run_b", "run_a"],
      );
    } finally {
      await reopened.close();
    }
  }));

test("a run's items keep the order of their appends, also when the appends share a commit", () =>
  withDatabasePath(async (path) => {
    const store = new SqliteRunStore(path);
    try {
      await Promise.all([
        store.createRun(record("run_a", "2026-01-01T00:00:00.000Z")),
        store.createRun(record("run_b", "2026-01-01T00:00:00.000Z")),
      ]);
      const appends = Array.from({ length: 20 }, (_, index) =>
        store.appendItems(index % 2 === 0 ? "run_a" : "run_b", index, [note(`n${index}`), note(`n${index}b`)]),
      );
      const stored = await Promise.all(appends);
      assert.deepEqual(
        stored[2]?.map((item) => item.seq),
        [2, 3],
        "seq numbers are given in call order",
      );
      const itemsOf = async (runId: string) => (await store.listItems(runId)).map((item) => item.item.id);
      const expected = (parity: number) =>
        Array.from({ length: 20 }, (_, index) => index)
          .filter((index) => index % 2 === parity)
          .flatMap((index) => [`n${index}`, `n${index}b`]);
      assert.deepEqual(await itemsOf("run_a"), expected(0));
      assert.deepEqual(await itemsOf("run_b"), expected(1));
    } finally {
      await store.close();
    }
  }));

test("closing the store commits the writes still waiting for their turn", () =>
  withDatabasePath(async (path) => {
    const store = new SqliteRunStore(path);
    const created = store.createRun(record("run_a", "2026-01-01T00:00:00.000Z"));
    const appended = store.appendItems("run_a", 0, [note("last")]);
    await store.close();
    await Promise.all([created, appended]);
    const reopened = new SqliteRunStore(path);
    try {
      assert.deepEqual(
        (await reopened.listItems("run_a")).map((stored) => stored.item.id),
        ["last"],
      );
    } finally {
      await reopened.close();
    }
  }));

test("a process killed with SIGKILL right after its appends resolved has every one of them on disk", () =>
  withDatabasePath(async (path) => {
    // The child appends in bursts of concurrent writes and reports each burst as soon as it resolved.
    const storeModule = new URL("../../src/store/sqlite-run-store.js", import.meta.url).href;
    const script = `
      import { SqliteRunStore } from ${JSON.stringify(storeModule)};
      const store = new SqliteRunStore(${JSON.stringify(path)});
      const record = (id) => ({ schemaVersion: 1, id, status: "running", spec: { model: "scripted:test", input: "q", effort: "low", budget: {}, tools: [] }, createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z", usage: { steps: 0, toolCalls: 0, inputTokens: 0, outputTokens: 0, reasoningTokens: 0, cachedInputTokens: 0, costUsd: 0, costKnown: true } });
      const runs = Array.from({ length: 20 }, (_, index) => "run_" + index);
      await Promise.all(runs.map((id) => store.createRun(record(id))));
      for (let burst = 0; ; burst++) {
        await Promise.all(runs.map((id) => store.appendItems(id, burst, [{ type: "note", id: id + "_" + burst, kind: "info", text: "x" }], record(id))));
        process.stdout.write(burst + "\\n");
      }`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    let acknowledged = -1;
    await new Promise<void>((resolve) => {
      createInterface({ input: child.stdout }).on("line", (line) => {
        acknowledged = Number(line);
        if (acknowledged >= 5) {
          child.kill("SIGKILL");
          resolve();
        }
      });
    });
    await exited;
    const store = new SqliteRunStore(path);
    try {
      for (let index = 0; index < 20; index++) {
        const items = await store.listItems(`run_${index}`);
        assert.ok(items.length >= acknowledged + 1, `run_${index}: ${items.length} items on disk, ${acknowledged + 1} bursts acknowledged`);
        assert.deepEqual(
          items.map((item) => item.seq),
          items.map((_, seq) => seq),
          "no gaps",
        );
      }
    } finally {
      await store.close();
    }
  }));
