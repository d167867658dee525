import { test } from "node:test";
import assert from "node:assert/strict";
import { configGrid } from "../../src/evals/eval-config.js";
import { runEval } from "../../src/evals/eval-runner.js";
import { jsonl, questionOf, withEvalServer } from "./eval-server.js";

// Issue 8 asks for the router to be evaluated against fixed efforts with the eval harness: an
// eval whose configs are `auto` and a fixed effort runs both over the same items.
test("an eval compares effort auto with a fixed effort: every auto sample is routed and its classification counted", async () => {
  const handler = (body: Record<string, unknown>) => {
    const text = JSON.stringify(body);
    if (text.includes("first pass of a reasoning harness")) {
      const hard = questionOf(body) === "hard";
      return {
        text: JSON.stringify({ class: hard ? "hard" : "trivial", reason: hard ? "a proof" : "arithmetic" }),
        usage: { inputTokens: 30, outputTokens: 12 },
      };
    }
    return { text: "Final answer: 42", usage: { inputTokens: 40, outputTokens: 5 } };
  };
  await withEvalServer(handler, async ({ env, home, store, write }) => {
    const dataset = write(
      "set.jsonl",
      jsonl([
        { id: "easy", input: "[Q:easy] 6 × 7?", target: "42" },
        { id: "hard", input: "[Q:hard] Prove it is 42.", target: "42" },
      ]),
    );
    const result = await runEval({
      datasetPath: dataset,
      configs: configGrid(["openai:gpt-4o"], ["auto", "medium"], [1]),
      epochs: 1,
      concurrency: 2,
      env,
      home,
      store,
      tools: [],
    });
    const byConfig = new Map(result.summary.configs.map((config) => [config.id, config]));
    assert.deepEqual([...byConfig.keys()].sort(), ["openai:gpt-4o · auto", "openai:gpt-4o · medium"]);
    assert.equal(byConfig.get("openai:gpt-4o · auto")?.passed, 2);
    assert.equal(byConfig.get("openai:gpt-4o · medium")?.passed, 2);
    const autoSamples = result.samples.filter((sample) => sample.configId === "openai:gpt-4o · auto");
    assert.equal(autoSamples.length, 2);
    // The routed runs carry the decision; the hard one was answered by voting over samples.
    for (const sample of autoSamples) {
      const runId = sample.runId ?? "";
      const items = (await store.listItems(runId)).map((stored) => stored.item);
      const run = await store.getRun(runId);
      const decided =
        items.some((item) => item.type === "note" && /effort auto/i.test(item.text)) ||
        Object.keys(run?.spec.metadata ?? {}).some((key) => key.startsWith("effort-auto"));
      assert.ok(decided, `sample ${sample.itemId} records the routing decision`);
    }
    const hardRun = await store.getRun(autoSamples.find((sample) => sample.itemId === "hard")?.runId ?? "");
    assert.equal(hardRun?.spec.strategy?.name, "best-of-n", "hard questions are sampled");
    // The classification run's tokens are part of what auto spent.
    const easyAuto = autoSamples.find((sample) => sample.itemId === "easy");
    const easyMedium = result.samples.find((sample) => sample.itemId === "easy" && sample.configId === "openai:gpt-4o · medium");
    assert.ok((easyAuto?.inputTokens ?? 0) > (easyMedium?.inputTokens ?? 0));
  });
});
