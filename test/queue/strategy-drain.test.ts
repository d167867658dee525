import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { RunStatus } from "../../src/core/run.js";
import { openRunControls } from "../../src/queue/open-run-controls.js";
import { advanceStoredRun } from "../../src/queue/run-advancer.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { startFakeOpenAIServer } from "../support/fake-openai-server.js";
import { temporaryHome } from "../support/temporary-home.js";
import { record } from "../store/run-store-contract.js";

test("a draining process stops a stored strategy and queues it again, without ever recording it cancelled", async () => {
  // Samples that never answer in time: the drain finds the strategy mid-way.
  let asked = 0;
  let bothAsked = () => {};
  const bothSamplesAsked = new Promise<void>((resolve) => (bothAsked = resolve));
  const model = await startFakeOpenAIServer(() => {
    if (++asked === 2) bothAsked();
    return { delayMs: 30_000, text: "never" };
  });
  const home = temporaryHome();
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  const controls = openRunControls(store);
  // Every status the strategy's run is written with, in order: what a watcher of the store could see.
  const written: RunStatus[] = [];
  const appendItems = store.appendItems.bind(store);
  store.appendItems = (runId, step, items, writtenRecord, ...rest) => {
    if (runId === "run_strategy" && writtenRecord) written.push(writtenRecord.status);
    return appendItems(runId, step, items, writtenRecord, ...rest);
  };
  const saveRun = store.saveRun.bind(store);
  store.saveRun = (saved, fence) => {
    if (saved.id === "run_strategy") written.push(saved.status);
    return saveRun(saved, fence);
  };
  try {
    const base = record("run_strategy", new Date().toISOString(), "queued");
    await store.createRun({
      ...base,
      spec: { ...base.spec, model: "openai:gpt-5-mini", strategy: { name: "best-of-n", settings: { select: "vote", samples: 2 } } },
    });
    let draining = false;
    const env = { OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: model.baseURL };
    const advancing = advanceStoredRun("run_strategy", { store, controls, home: home.path, env, cwd: home.path }, () => draining);
    // Both samples have asked the model: the strategy is mid-way.
    await bothSamplesAsked;
    draining = true;
    assert.deepEqual(await advancing, { kind: "yielded" });
    assert.equal((await store.getRun("run_strategy"))?.status, "queued");
    assert.ok(written.includes("running"), "the strategy ran here");
    assert.ok(!written.includes("cancelled"), `written: ${written.join(", ")}`);
  } finally {
    await controls.close();
    await store.close();
    await model.close();
    home.remove();
  }
});
