import { test } from "node:test";
import assert from "node:assert/strict";
import { bestOf } from "../../src/strategies/best-of.js";
import type { StrategyEvent } from "../../src/strategies/strategy-events.js";
import { judgedAnswers, requestKind, samplesAnswering, withStrategyServer } from "./strategy-server.js";

const model = "openai:gpt-4o";

test("voting picks the plurality; the parent is a stored run whose usage is its children's", async () => {
  await withStrategyServer(
    samplesAnswering(["Final answer: 1,042", "1041", "\\boxed{1042}", "It is 1043.", "**Answer:** 1042.0", "1041"]),
    async ({ env, home, store }) => {
      const events: StrategyEvent[] = [];
      const result = await bestOf("What is 1000 + 42?", {
        model,
        env,
        home,
        store,
        tools: [],
        samples: 6,
        concurrency: 3,
        onEvent: (event) => ("childId" in event || event.type === "distribution-updated" ? events.push(event as StrategyEvent) : undefined),
      });
      assert.equal(result.status, "completed");
      assert.equal(result.method, "vote");
      assert.equal(result.winner?.answer, "1,042");
      assert.equal(result.winner?.runIds.length, 3);
      assert.equal(result.winner?.share, 0.5);
      assert.ok(result.winner && result.winner.interval.lower < 0.5 && result.winner.interval.upper > 0.5);
      assert.deepEqual(
        result.clusters.map((cluster) => [cluster.key, cluster.count]),
        [
          ["1042", 3],
          ["1041", 2],
          ["it is 1043", 1],
        ],
      );

      const parent = await store.getRun(result.runId);
      assert.equal(parent?.status, "completed");
      assert.equal(parent?.spec.strategy?.name, "best-of-n");
      assert.equal(parent?.result?.answer, "Final answer: 1,042");
      const children = await store.listRuns({ parentId: result.runId });
      assert.equal(children.length, 6);
      assert.deepEqual(new Set(children.map((child) => child.id)), new Set(result.children.map((child) => child.runId)));
      const childTokens = children.reduce((sum, child) => sum + child.usage.inputTokens + child.usage.outputTokens, 0);
      assert.equal(parent.usage.inputTokens + parent.usage.outputTokens, childTokens);
      assert.equal(parent.usage.steps, 6);
      assert.equal(events.filter((event) => event.type === "child-finished").length, 6);
      assert.ok(events.some((event) => event.type === "distribution-updated" && event.votes === 6));
    },
  );
});

test("children that fail for infrastructure reasons are retried, marked, and do not vote", async () => {
  // Sequential samples: the second sample's run and its retry both meet a failing provider (each run tries 4 times, then fails with model_call_failed).
  let sampleRequests = 0;
  const handler = () => {
    const index = sampleRequests++;
    if (index === 0) return { text: "Final answer: 7" };
    if (index >= 1 && index <= 8) return { status: 503, headers: { "Retry-After": "0" } };
    return { text: "Final answer: 7" };
  };
  await withStrategyServer(handler, async ({ env, home, store }) => {
    const result = await bestOf("Pick a number.", { model, env, home, store, tools: [], samples: 3, concurrency: 1, maxInfraRetries: 1 });
    assert.equal(result.status, "completed");
    assert.equal(result.samples.answered, 2);
    assert.equal(result.samples.retried, 1);
    assert.equal(result.samples.outcomes.infra_failed, 2);
    const failed = result.children.filter((child) => child.outcome === "infra_failed");
    assert.equal(failed.length, 2);
    assert.ok(failed.every((child) => child.status === "failed" && child.index === 1));
    const voters = result.clusters.flatMap((cluster) => cluster.runIds);
    assert.ok(failed.every((child) => !voters.includes(child.runId)));
    assert.equal(result.winner?.share, 1);
  });
});

test("the judge's position swap cancels a judge that always prefers the first answer", async () => {
  const judgeOrders: [string, string][] = [];
  const handler = samplesAnswering(["Final answer: 12", "Final answer: 13", "Final answer: 12"], (body) => {
    judgeOrders.push(judgedAnswers(body));
    return { text: "REASON: The first answer reads better.\nVERDICT: A" };
  });
  await withStrategyServer(handler, async ({ env, home, store }) => {
    const result = await bestOf("What is 5 + 8?", {
      model,
      env,
      home,
      store,
      tools: [],
      samples: 3,
      select: "judge",
      equivalence: "exact",
    });
    assert.equal(judgeOrders.length, 2, "one pair, judged in both orders");
    assert.deepEqual(judgeOrders[0]?.slice().reverse(), judgeOrders[1]);
    const [first, second] = result.ranking ?? [];
    assert.equal(first?.ties, 1);
    assert.equal(first?.wins, 0);
    assert.equal(second?.ties, 1);
    assert.match(first?.reasons[0] ?? "", /preferred whichever came first/);
  });
});

test("a judge that sees the right answer in both orders beats a wrong majority, with its reasons", async () => {
  const handler = samplesAnswering(["Final answer: 12", "Final answer: 13", "Final answer: 12"], (body) => {
    const [a] = judgedAnswers(body);
    return { text: `REASON: 5 + 8 is 13.\nVERDICT: ${a.includes("13") ? "A" : "B"}` };
  });
  await withStrategyServer(handler, async ({ env, home, store }) => {
    const result = await bestOf("What is 5 + 8?", {
      model,
      judgeModel: "openai:gpt-4o-mini",
      env,
      home,
      store,
      tools: [],
      samples: 3,
      select: "judge",
      equivalence: "exact",
    });
    assert.equal(result.answer, "Final answer: 13");
    assert.equal(result.ranking?.[0]?.wins, 1);
    assert.deepEqual(result.ranking?.[0]?.reasons, ["“13” beat “12”: 5 + 8 is 13."]);
    const judges = result.children.filter((child) => child.role === "judge");
    assert.equal(judges.length, 2);
    const judgeRun = await store.getRun(judges[0]?.runId ?? "");
    assert.equal(judgeRun?.spec.model, "openai:gpt-4o-mini");
    assert.equal(judgeRun?.parentId, result.runId);
  });
});

test("a verifier beats a wrong majority and a judge", async () => {
  const handler = samplesAnswering(["Final answer: 12", "Final answer: 13", "Final answer: 12", "Final answer: 12"], () => ({
    text: "REASON: twelve.\nVERDICT: A",
  }));
  await withStrategyServer(handler, async ({ env, home, store }) => {
    const verify = async (candidate: { key: string }) => ({
      passed: candidate.key === "13",
      reason: candidate.key === "13" ? "13 - 8 = 5" : "wrong sum",
    });
    const voted = await bestOf("What is 5 + 8?", { model, env, home, store, tools: [], samples: 4, verify, equivalence: "exact" });
    assert.equal(voted.method, "verify");
    assert.equal(voted.answer, "Final answer: 13");
    assert.deepEqual(
      voted.verifications?.map((entry) => [entry.answer, entry.passed]),
      [
        ["12", false],
        ["13", true],
      ],
    );
    const judged = await bestOf("What is 5 + 8?", {
      model,
      env,
      home,
      store,
      tools: [],
      samples: 4,
      verify,
      select: "judge",
      equivalence: "exact",
    });
    assert.equal(judged.answer, "Final answer: 13");
    assert.equal(judged.children.filter((child) => child.role === "judge").length, 0, "one candidate passed: nothing left to judge");
  });
});

test("synthesis writes one more run over the top candidates", async () => {
  const handler = samplesAnswering(["Final answer: Paris", "Final answer: Paris", "Final answer: Lyon"], (body) =>
    requestKind(body) === "synthesis" ? { text: "Paris.\nAgreed: the capital.\nDisagreed: one sample said Lyon." } : undefined,
  );
  await withStrategyServer(handler, async ({ env, home, store, requests }) => {
    const result = await bestOf("What is the capital of France?", { model, env, home, store, tools: [], samples: 3, select: "synthesize" });
    assert.equal(result.answer, "Paris.\nAgreed: the capital.\nDisagreed: one sample said Lyon.");
    assert.equal(result.synthesis?.outcome, "answered");
    const prompt = JSON.stringify(requests().find((body) => requestKind(body) === "synthesis"));
    assert.match(prompt, /samples=\\"2 of 3\\"/);
    assert.match(prompt, /Lyon/);
    assert.equal((await store.getRun(result.runId))?.result?.answer, result.answer);
  });
});
