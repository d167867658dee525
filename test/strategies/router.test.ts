import { test } from "node:test";
import assert from "node:assert/strict";
import { askAuto } from "../../src/strategies/router/ask-auto.js";
import { decideEffort } from "../../src/strategies/router/effort-decision.js";
import type { RequestBody } from "../support/fake-openai-server.js";
import { withStrategyServer } from "./strategy-server.js";

const model = "openai:gpt-4o";

const isClassification = (body: RequestBody) => JSON.stringify(body).includes("first pass of a reasoning harness");

/** The classifier says `replies` in turn; every other request answers `answer`. */
function routedServer(replies: string[], answer = "Final answer: 4") {
  let next = 0;
  return (body: RequestBody) =>
    isClassification(body) ? { text: replies[Math.min(next++, replies.length - 1)] as string } : { text: answer };
}

async function notesOf(
  store: { listItems(id: string): Promise<{ item: { type: string; text?: string } }[]> },
  runId: string,
): Promise<string[]> {
  return (await store.listItems(runId)).filter((stored) => stored.item.type === "note").map((stored) => stored.item.text ?? "");
}

test("a trivial request gets minimal effort and one run; the decision and its reason are on the run", async () => {
  await withStrategyServer(
    routedServer(['{"class": "trivial", "reason": "simple arithmetic"}']),
    async ({ env, home, store, requests }) => {
      const result = await askAuto("What is 2 + 2?", { model, env, home, store, tools: [] });
      assert.equal(result.answer, "Final answer: 4");
      assert.equal(result.routing.requestClass, "trivial");
      assert.equal(result.routing.effort, "minimal");
      assert.equal(result.routing.source, "model");
      assert.equal(result.routing.sampling, undefined);
      const run = await store.getRun(result.runId);
      assert.equal(run?.spec.effort, "minimal");
      assert.equal(run?.spec.metadata?.["effort-auto-reason"], "simple arithmetic");
      assert.match((await notesOf(store, result.runId)).join("\n"), /effort auto: trivial → minimal\. Reason: simple arithmetic/);
      const classifier = await store.getRun(result.routing.runIds[0] as string);
      assert.equal(classifier?.spec.metadata?.role, "router");
      assert.equal(requests().filter(isClassification).length, 1);
    },
  );
});

test("a request needing tools gets medium effort; a bad classifier reply is repaired once and both runs are stored", async () => {
  await withStrategyServer(
    routedServer(["It needs Python, I think.", '```json\n{"class": "needs_tools", "reason": "needs a computation"}\n```']),
    async ({ env, home, store }) => {
      const result = await askAuto("What is the 1000th prime?", { model, env, home, store, tools: [] });
      assert.equal(result.routing.requestClass, "needs_tools");
      assert.equal(result.routing.effort, "medium");
      assert.equal(result.routing.runIds.length, 2);
      const repair = await store.getRun(result.routing.runIds[1] as string);
      assert.equal(repair?.spec.metadata?.attempt, "repair");
      assert.match(JSON.stringify(repair?.spec.input), /no JSON object in the reply/);
    },
  );
});

test("a classifier that stays invalid falls back to the usual effort and says so", async () => {
  await withStrategyServer(routedServer(['{"class": "easy", "reason": "x"}']), async ({ env, home, store }) => {
    const result = await askAuto("Hello?", { model, env, home, store, tools: [] });
    assert.equal(result.routing.source, "fallback");
    assert.equal(result.routing.effort, "medium");
    assert.match(result.routing.reason, /class/);
  });
});

test("a hard request is sampled three times and voted on; the note is on the best-of-N parent", async () => {
  await withStrategyServer(
    routedServer(['{"class": "hard", "reason": "a tricky puzzle"}'], "Final answer: 42"),
    async ({ env, home, store }) => {
      const result = await askAuto("Solve the puzzle.", { model, env, home, store, tools: [] });
      assert.equal(result.routing.effort, "high");
      assert.deepEqual(result.routing.sampling, { samples: 3, select: "vote" });
      assert.equal(result.answer, "Final answer: 42");
      const parent = await store.getRun(result.runId);
      assert.equal(parent?.spec.strategy?.name, "best-of-n");
      assert.equal(parent?.spec.effort, "high");
      assert.equal((await store.listRuns({ parentId: result.runId })).length, 3);
      assert.match((await notesOf(store, result.runId)).join("\n"), /hard → high, 3 samples \(vote\)\. Reason: a tricky puzzle/);
    },
  );
});

test("explicit flags win over the router's choices, and the decision names them", async () => {
  await withStrategyServer(routedServer(['{"class": "hard", "reason": "open-ended"}'], "Final answer: 7"), async ({ env, home, store }) => {
    const result = await askAuto("Pick well.", { model, env, home, store, tools: [], samples: 2, budget: { maxSteps: 3 } });
    assert.deepEqual(result.routing.sampling, { samples: 2, select: "vote" });
    assert.equal(result.routing.budget.maxSteps, 3);
    assert.deepEqual(result.routing.overridden, ["maxSteps", "sampling"]);
    assert.equal((await store.listRuns({ parentId: result.runId })).length, 2);
    assert.match((await notesOf(store, result.runId)).join("\n"), /your flags replaced: maxSteps, sampling/);
  });
  const trivial = decideEffort(
    { requestClass: "trivial", reason: "r", source: "model", runIds: [] },
    { untilConfident: 0.9, select: "judge" },
  );
  assert.deepEqual(trivial.sampling, { untilConfident: 0.9, select: "judge" });
});

test("attachments mean tools without asking a model", async () => {
  await withStrategyServer(routedServer(["unused"]), async ({ env, home, store, requests }) => {
    const { writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const file = join(home, "data.csv");
    writeFileSync(file, "a,b\n1,2\n");
    const result = await askAuto("Sum column b.", { model, env, home, store, tools: [], files: [file] });
    assert.equal(result.routing.source, "heuristic");
    assert.equal(result.routing.requestClass, "needs_tools");
    assert.equal(requests().filter(isClassification).length, 0);
  });
});
