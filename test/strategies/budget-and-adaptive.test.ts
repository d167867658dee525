import { test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { defineTool } from "../../src/tools/tool.js";
import { bestOf } from "../../src/strategies/best-of.js";
import type { FakeTurnHandler } from "../support/fake-openai-server.js";
import { toolResults } from "../support/conversation.js";
import { samplesAnswering, withStrategyServer } from "./strategy-server.js";

const model = "openai:gpt-4o";
const echo = defineTool({
  name: "echo",
  description: "Echoes text.",
  parameters: z.object({ text: z.string() }),
  effects: "none",
  run: async ({ text }) => ({ content: text }),
});

/** Two-step samples: a tool call, then the answer; every turn costs exactly 120 tokens. */
const toolThenAnswer: FakeTurnHandler = (body) =>
  toolResults(body).length === 0
    ? { toolCalls: [{ name: "echo", arguments: '{"text":"checking"}' }], usage: { inputTokens: 100, outputTokens: 20 } }
    : { text: "Final answer: 5", usage: { inputTokens: 100, outputTokens: 20 } };

test("the total token budget is never exceeded: launching stops and the samples still answer", async () => {
  await withStrategyServer(toolThenAnswer, async ({ env, home, store }) => {
    const result = await bestOf("What is 2 + 3?", {
      model,
      env,
      home,
      store,
      tools: [echo],
      samples: 20,
      concurrency: 4,
      totalBudget: { maxTotalTokens: 1000 },
    });
    const children = await store.listRuns({ parentId: result.runId });
    const spent = children.reduce((sum, child) => sum + child.usage.inputTokens + child.usage.outputTokens, 0);
    assert.ok(spent <= 1000, `spent ${spent} tokens`);
    assert.equal(result.usage.inputTokens + result.usage.outputTokens, spent);
    assert.ok(result.samples.launched < 20);
    assert.ok(result.samples.answered >= 3, `${result.samples.answered} answered`);
    assert.match(result.budgetExhausted ?? "", /of 1000 tokens/);
    assert.equal(result.winner?.answer, "5");
  });
});

test("adaptive sampling stops after three samples when they agree", async () => {
  await withStrategyServer(samplesAnswering(["Final answer: 42"]), async ({ env, home, store }) => {
    const result = await bestOf("What is 6 * 7?", {
      model,
      env,
      home,
      store,
      tools: [],
      untilConfident: 0.9,
      maxSamples: 16,
      concurrency: 4,
    });
    assert.equal(result.samples.launched, 3);
    assert.ok((result.confidence ?? 0) >= 0.9);
    assert.equal((await store.getRun(result.runId))?.spec.strategy?.name, "adaptive");
  });
});

test("adaptive sampling spends every allowed sample on a split vote", async () => {
  await withStrategyServer(samplesAnswering(["Final answer: heads", "Final answer: tails"]), async ({ env, home, store }) => {
    const result = await bestOf("Heads or tails?", {
      model,
      env,
      home,
      store,
      tools: [],
      untilConfident: 0.9,
      maxSamples: 12,
      concurrency: 4,
    });
    assert.equal(result.samples.launched, 12);
    assert.ok((result.confidence ?? 1) < 0.9);
  });
});

test("adaptive sampling on a split vote stops where the total budget ends", async () => {
  let sample = 0;
  const handler: FakeTurnHandler = () => ({
    text: `Final answer: ${sample++ % 2 === 0 ? "heads" : "tails"}`,
    usage: { inputTokens: 100, outputTokens: 20 },
  });
  await withStrategyServer(handler, async ({ env, home, store }) => {
    const result = await bestOf("Heads or tails?", {
      model,
      env,
      home,
      store,
      tools: [],
      untilConfident: 0.9,
      maxSamples: 64,
      concurrency: 4,
      totalBudget: { maxTotalTokens: 1500 },
    });
    assert.ok(result.usage.inputTokens + result.usage.outputTokens <= 1500);
    assert.ok(result.samples.launched < 64 && result.samples.launched >= 10, `${result.samples.launched} samples`);
    assert.ok(result.budgetExhausted);
  });
});

test("a 429 storm pauses every sample's next call, not just the one that was limited", async () => {
  // Eight samples each wait a different time in a tool, so their second calls come one by one;
  // the provider's rate-limit window opens with the fifth call and lasts a second.
  const pause = defineTool({
    name: "pause",
    description: "Waits some milliseconds.",
    parameters: z.object({ ms: z.number() }),
    effects: "none",
    run: async ({ ms }) => new Promise((resolve) => setTimeout(() => resolve({ content: "waited" }), ms)),
  });
  let requests = 0;
  let rateLimited = 0;
  let blockedUntil = 0;
  const handler: FakeTurnHandler = (body) => {
    const index = requests++;
    if (index === 8) blockedUntil = Date.now() + 1000;
    if (Date.now() < blockedUntil) {
      rateLimited++;
      return { status: 429, headers: { "Retry-After": "1" } };
    }
    return toolResults(body).length === 0
      ? { toolCalls: [{ name: "pause", arguments: JSON.stringify({ ms: 100 * (index + 1) }) }] }
      : { text: "Final answer: 9" };
  };
  await withStrategyServer(handler, async ({ env, home, store }) => {
    const result = await bestOf("What is 3 * 3?", { model, env, home, store, tools: [pause], samples: 8, concurrency: 8 });
    assert.equal(result.samples.answered, 8);
    assert.equal(result.samples.outcomes.infra_failed, undefined);
    // Only a call already on its way when the first 429 came back can meet the closed window.
    assert.ok(rateLimited <= 2, `${rateLimited} calls were rate limited`);
  });
});

test("cancelling the strategy cancels every child and the parent", async () => {
  await withStrategyServer(
    () => ({ text: "Final answer: slow", delayMs: 10_000 }),
    async ({ env, home, store }) => {
      const controller = new AbortController();
      let started = 0;
      const result = await bestOf("Slow question?", {
        model,
        env,
        home,
        store,
        tools: [],
        samples: 4,
        concurrency: 4,
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === "child-started" && ++started === 4) controller.abort();
        },
      });
      assert.equal(result.status, "cancelled");
      assert.equal((await store.getRun(result.runId))?.status, "cancelled");
      const children = await store.listRuns({ parentId: result.runId });
      assert.equal(children.length, 4);
      assert.ok(children.every((child) => child.status === "cancelled"));
    },
  );
});
