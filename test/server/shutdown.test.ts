import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { eventually, startServerFixture } from "./server-fixture.js";

test("shutdown stops live runs at their checkpoint and leaves them resumable (paused), not cancelled", async () => {
  const fixture = await startServerFixture(() => ({ delayMs: 30_000, text: "never" }));
  const created = (await (await fixture.request("POST", "/v1/runs", { body: { input: "long work" } })).json()) as { id: string };
  await eventually(() => fixture.request("GET", `/v1/runs/${created.id}`).then((response) => response.json() as Promise<{ status: string }>), (run) => run.status === "running");
  const home = fixture.home;
  await fixture.server.close();
  const store = new SqliteRunStore(join(home, "ponder.db"));
  try {
    assert.equal((await store.getRun(created.id))?.status, "paused");
  } finally {
    await store.close();
    await fixture.model.close();
    rmSync(home, { recursive: true, force: true });
  }
});
