import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveSettings } from "../../src/config/resolve-settings.js";
import { createQueuedRun } from "../../src/queue/create-queued-run.js";
import { runStoredStrategy } from "../../src/strategies/stored-strategy.js";
import { requestKind, withStrategyServer } from "./strategy-server.js";

test("a stored best-of-N started again keeps the samples that had answered and takes only the rest", async () => {
  let release: () => void = () => undefined;
  const third = new Promise<void>((resolve) => (release = resolve));
  let samplesAsked = 0;
  await withStrategyServer(
    async (body) => {
      if (requestKind(body) !== "sample") return { text: "VERDICT: TIE" };
      samplesAsked++;
      // The first attempt's third sample hangs until its process "dies".
      if (samplesAsked === 3) await third;
      return { text: "Final answer: 7" };
    },
    async ({ env, home, store }) => {
      const environment = { ...env, PONDER_HOME: home, PONDER_MODEL: "openai:gpt-4o" };
      const settings = resolveSettings({}, environment, home);
      const record = await createQueuedRun(store, settings, "What is 3 + 4?", {
        strategy: { type: "best_of_n", samples: 3, concurrency: 3 },
      });
      const firstAttempt = new AbortController();
      const first = runStoredStrategy(record, { store, env: environment, home, signal: firstAttempt.signal });
      for (let waited = 0; waited < 20_000; waited += 25) {
        const done = (await store.listRuns({ parentId: record.id })).filter((child) => child.status === "completed");
        if (done.length === 2 && samplesAsked === 3) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      firstAttempt.abort();
      await first;
      // As after a crash: the run is handed to a process again.
      await store.updateRun(record.id, { status: "queued" });
      release();

      const final = await runStoredStrategy((await store.getRun(record.id)) ?? record, { store, env: environment, home });
      assert.equal(final.status, "completed", JSON.stringify(final.error));
      assert.deepEqual(
        final.result?.distribution?.map(({ answer, count }) => ({ answer, count })),
        [{ answer: "7", count: 3 }],
      );
      assert.equal(samplesAsked, 4, "two earlier answers reused, one sample taken again");
      const children = await store.listRuns({ parentId: record.id });
      assert.deepEqual(children.map((child) => child.status).sort(), ["cancelled", "completed", "completed", "completed"]);
      assert.equal(new Set(children.map((child) => child.spec.metadata?.index)).size, 4, "the new sample has an index of its own");
      assert.equal(final.usage.steps, 3, "the parent's usage counts the reused samples");
    },
  );
});
