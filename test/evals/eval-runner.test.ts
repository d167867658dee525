import { test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { defineTool } from "../../src/tools/tool.js";
import { configGrid } from "../../src/evals/eval-config.js";
import { runEval } from "../../src/evals/eval-runner.js";
import { passAtK } from "../../src/evals/metrics/estimators.js";
import { jsonl, questionOf, scriptedAnswers, withEvalServer } from "./eval-server.js";

const model = "openai:gpt-4o";
const right = { text: "Let me see.\nFinal answer: 42" };
const wrong = { text: "Final answer: 41" };

test("a scripted model with known per-item accuracy gives the expected accuracy and pass@k; every sample is a run under the eval", async () => {
  await withEvalServer(
    scriptedAnswers({ A: [right, right, right, wrong, wrong], B: [right], C: [wrong] }),
    async ({ env, home, store, write }) => {
      const dataset = write(
        "set.jsonl",
        jsonl([
          { id: "A", input: "[Q:A] What is 6 × 7?", target: "42", tags: ["arithmetic"] },
          { id: "B", input: "[Q:B] 40 + 2?", target: 42 },
          { id: "C", input: "[Q:C] 84 / 2?", target: "42", tags: "arithmetic" },
        ]),
      );
      const result = await runEval({
        datasetPath: dataset,
        configs: configGrid([model], ["low"], [1]),
        epochs: 5,
        concurrency: 4,
        env,
        home,
        store,
        tools: [],
      });
      const [config] = result.summary.configs;
      assert.ok(config);
      assert.equal(config.scored, 15);
      assert.equal(config.passed, 8);
      assert.equal(config.errors, 0);
      assert.deepEqual(result.summary.ks, [1, 2, 4, 5]);
      const expected = (k: number) => (passAtK(5, 3, k) + 1 + 0) / 3;
      for (const k of [1, 2, 4]) assert.ok(Math.abs((config.passAtK[k] as number) - expected(k)) < 1e-9, `pass@${k}`);
      assert.ok(Math.abs((config.passAtK[2] as number) - (0.9 + 1) / 3) < 1e-9);
      assert.equal(config.majAtK[5], 2 / 3);
      assert.equal(result.summary.tags.find((tag) => tag.tag === "arithmetic")?.passed, 3);
      const children = await store.listRuns({ parentId: result.manifest.id });
      assert.equal(children.length, 15);
      // Repeats never collapse: every (item, epoch) pair has its own run.
      assert.equal(new Set(children.map((child) => `${child.spec.metadata?.eval_item}/${child.spec.metadata?.eval_epoch}`)).size, 15);
      assert.equal((await store.getRun(result.manifest.id))?.status, "completed");
    },
  );
});

test("infrastructure failures are retried in a fresh run and flagged; those that never recover are errors, never fails", async () => {
  const crashes = { count: 0 };
  const lookup = defineTool({
    name: "lookup",
    description: "Looks something up.",
    parameters: z.object({ key: z.string() }),
    effects: "none",
    async run() {
      // The first call meets a crashed sandbox; later runs get a working one.
      if (crashes.count++ === 0) throw new Error("the sandbox process died");
      return { content: "42" };
    },
  });
  const handler = (body: Record<string, unknown>) => {
    const question = questionOf(body);
    if (question === "broken") return { status: 503, headers: { "Retry-After": "0" } };
    if (question === "tool")
      return JSON.stringify(body).includes("unavailable right now") || JSON.stringify(body).includes('"42"')
        ? right
        : { toolCalls: [{ name: "lookup", arguments: '{"key":"x"}' }] };
    return question === "fine" ? right : wrong;
  };
  await withEvalServer(handler, async ({ env, home, store, write }) => {
    const dataset = write(
      "set.jsonl",
      jsonl([
        { id: "broken", input: "[Q:broken] ?", target: "42" },
        { id: "tool", input: "[Q:tool] ?", target: "42" },
        { id: "fine", input: "[Q:fine] ?", target: "42" },
        { id: "wrong", input: "[Q:wrong] ?", target: "42" },
      ]),
    );
    const result = await runEval({
      datasetPath: dataset,
      configs: configGrid([model], ["low"], [1]),
      epochs: 1,
      concurrency: 4,
      maxInfraRetries: 1,
      env,
      home,
      store,
      tools: [lookup],
    });
    const byItem = new Map(result.samples.map((sample) => [sample.itemId, sample]));
    const broken = byItem.get("broken")?.outcome;
    assert.ok(broken?.status === "error" && broken.kind === "infra" && broken.message.includes("failed"));
    assert.equal(byItem.get("broken")?.retriedRunIds.length, 1);
    assert.equal(byItem.get("tool")?.outcome.status, "pass");
    assert.equal(byItem.get("tool")?.retried, true);
    const [config] = result.summary.configs;
    assert.ok(config);
    assert.equal(config.scored, 3);
    assert.equal(config.accuracy, 2 / 3);
    assert.equal(config.errorRate, 1 / 4);
    assert.deepEqual(config.errorKinds, { infra: 1 });
    assert.equal(config.retried, 2);
    const children = await store.listRuns({ parentId: result.manifest.id });
    assert.equal(children.length, 2 + 2 + 1 + 1);
  });
});

test("resume after an interrupted eval skips the samples that finished", async () => {
  await withEvalServer(scriptedAnswers({ A: [right], B: [wrong], C: [right] }), async ({ env, home, store, write, requests }) => {
    const dataset = write("set.jsonl", jsonl(["A", "B", "C"].map((id) => ({ id, input: `[Q:${id}] ?`, target: "42" }))));
    const controller = new AbortController();
    const configs = configGrid([model], ["low"], [1]);
    const first = await runEval({
      datasetPath: dataset,
      configs,
      epochs: 2,
      concurrency: 1,
      env,
      home,
      store,
      tools: [],
      signal: controller.signal,
      onSample: (_sample, done) => (done === 2 ? controller.abort() : undefined),
    });
    assert.equal(first.samples.length, 2);
    assert.equal((await store.getRun(first.manifest.id))?.status, "cancelled");
    assert.equal(requests().length, 2);
    const resumed = await runEval({ datasetPath: dataset, configs, epochs: 2, concurrency: 2, env, home, store, tools: [], resume: true });
    assert.equal(resumed.manifest.id, first.manifest.id);
    assert.equal(resumed.reused, 2);
    assert.equal(resumed.samples.length, 6);
    assert.equal(requests().length, 6);
    assert.equal(resumed.summary.configs[0]?.passed, 4);
    assert.equal((await store.listRuns({ parentId: first.manifest.id })).length, 6);
    assert.ok(resumed.manifest.finishedAt);
  });
});
