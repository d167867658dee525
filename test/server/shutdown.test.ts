import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { eventually, startServerFixture } from "./server-fixture.js";

/** Everything a response's body delivers until the server ends it (a shutdown closes the connection mid-stream). */
async function bodyUntilClosed(response: Response): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return text;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    return text;
  }
}

test("shutdown suspends live runs: left resumable (paused, stop reason suspended), and their watchers never see cancelled", async () => {
  const fixture = await startServerFixture(() => ({ delayMs: 30_000, text: "never" }));
  const created = (await (await fixture.request("POST", "/v1/runs", { body: { input: "long work" } })).json()) as { id: string };
  await eventually(
    () => fixture.request("GET", `/v1/runs/${created.id}`).then((response) => response.json() as Promise<{ status: string }>),
    (run) => run.status === "running",
  );
  const watching = await fixture.request("GET", `/v1/runs/${created.id}/events`);
  const watched = bodyUntilClosed(watching);
  const home = fixture.home;
  await fixture.server.close();
  const events = await watched;
  const store = new SqliteRunStore(join(home, "ponder.db"));
  try {
    const record = await store.getRun(created.id);
    assert.equal(record?.status, "paused");
    assert.equal(record?.result?.stopReason, "suspended");
    assert.equal(record?.finishedAt, undefined);
    assert.match(events, /"status":"paused"/);
    assert.doesNotMatch(events, /cancelled/);
  } finally {
    await store.close();
    await fixture.model.close();
    rmSync(home, { recursive: true, force: true });
  }
});
