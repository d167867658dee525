import { test } from "node:test";
import assert from "node:assert/strict";
import { bestOf } from "../../src/strategies/best-of.js";
import { criteriaOf, parseRubricReply } from "../../src/strategies/rubric-judge.js";
import type { FakeTurnHandler, RequestBody } from "../support/fake-openai-server.js";
import { samplesAnswering, withStrategyServer } from "./strategy-server.js";

const model = "openai:gpt-4o";
const rubric = "Grade the arithmetic.\n- Correctness: the sum is right\n- **Clarity** — the answer is stated plainly\n";

/** Rubric requests go to `judge` with the answer they grade; everything else is a sample. */
function withRubricJudge(answers: string[], judge: (answer: string, body: RequestBody) => ReturnType<FakeTurnHandler>): FakeTurnHandler {
  const samples = samplesAnswering(answers);
  return (body, index, path) => {
    const text = JSON.stringify(body);
    if (!text.includes("<rubric>")) return samples(body, index, path);
    const answer = text
      .slice(text.indexOf("<candidate_answer>") + 18, text.indexOf("</candidate_answer>"))
      .replace(/\\n/g, "")
      .trim();
    return judge(answer, body);
  };
}

const scored = (correctness: number, clarity: number, reasons: string) => ({
  text: JSON.stringify({ scores: { Correctness: correctness, Clarity: clarity }, total: correctness + clarity, reasons }),
});

test("a rubric's criteria are its bullet lines, named by the text before a colon or dash", () => {
  assert.deepEqual(criteriaOf(rubric), ["Correctness", "Clarity"]);
  assert.deepEqual(criteriaOf("1. Accuracy: facts\n2) Sources\nplain line"), ["Accuracy", "Sources"]);
  assert.deepEqual(criteriaOf("Is it right?"), ["overall"]);
});

test("rubric replies are read from JSON, also inside prose or a code fence, and checked against the criteria", () => {
  const reply = 'Here:\n```json\n{"scores": {"Correctness": 7, "Clarity": 9}, "total": 16, "reasons": "fine"}\n```';
  assert.deepEqual(parseRubricReply(reply, ["Correctness", "Clarity"]), {
    score: { scores: { Correctness: 7, Clarity: 9 }, total: 16, reasons: "fine" },
  });
  assert.match((parseRubricReply("ten out of ten", ["Correctness"]) as { problem: string }).problem, /no JSON object/);
  assert.match(
    (parseRubricReply('{"scores": {"Correctness": 12}, "total": 12, "reasons": ""}', ["Correctness"]) as { problem: string }).problem,
    /scores/,
  );
  assert.match(
    (parseRubricReply('{"scores": {"Clarity": 5}, "total": 5, "reasons": ""}', ["Correctness", "Clarity"]) as { problem: string }).problem,
    /no score for "Correctness"/,
  );
});

test("the rubric judge ranks a minority answer with higher scores first, with the scores and reasons", async () => {
  const prompts: string[] = [];
  const handler = withRubricJudge(["Final answer: 12", "Final answer: 13", "Final answer: 12"], (answer, body) => {
    // Each judge is a run of its own, with its own prompt cache key; the rest must be identical.
    const { prompt_cache_key: _cacheKey, ...request } = body;
    prompts.push(JSON.stringify(request).replace(answer, "<answer>"));
    return answer.includes("13") ? scored(10, 8, "5 + 8 is 13.") : scored(0, 9, "Clear but wrong.");
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
      rubric,
      equivalence: "exact",
    });
    assert.equal(result.status, "completed");
    assert.equal(result.answer, "Final answer: 13");
    assert.deepEqual(
      result.ranking?.map((candidate) => [candidate.answer, candidate.score, candidate.count]),
      [
        ["13", 18, 1],
        ["12", 9, 2],
      ],
    );
    assert.deepEqual(result.ranking?.[0]?.scores, { Correctness: 10, Clarity: 8 });
    assert.deepEqual(result.ranking?.[0]?.reasons, ["total 18: 5 + 8 is 13."]);
    assert.equal(prompts.length, 2);
    assert.equal(prompts[0], prompts[1], "every candidate is judged with the same rubric text and instructions");
    const judges = result.children.filter((child) => child.role === "judge");
    assert.equal(judges.length, 2);
    assert.equal((await store.getRun(judges[0]?.runId ?? ""))?.spec.model, "openai:gpt-4o-mini");
    assert.equal((await store.getRun(result.runId))?.spec.strategy?.settings.rubric, rubric);
  });
});

test("equal totals go to the larger cluster", async () => {
  const handler = withRubricJudge(["Final answer: 12", "Final answer: 13", "Final answer: 13"], () => scored(5, 5, "Both plausible."));
  await withStrategyServer(handler, async ({ env, home, store }) => {
    const result = await bestOf("What is 5 + 8?", {
      model,
      env,
      home,
      store,
      tools: [],
      samples: 3,
      select: "judge",
      rubric,
      equivalence: "exact",
    });
    assert.equal(result.answer, "Final answer: 13");
  });
});

test("a reply that is not valid JSON is repaired once by the judge", async () => {
  const handler = withRubricJudge(["Final answer: 12", "Final answer: 13", "Final answer: 12"], (answer, body) => {
    if (!JSON.stringify(body).includes("<earlier_reply>")) return { text: "Correctness: ten. Clarity: eight." };
    return answer.includes("13") ? scored(10, 8, "Right.") : scored(0, 8, "Wrong.");
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
      rubric,
      equivalence: "exact",
    });
    assert.equal(result.answer, "Final answer: 13");
    assert.equal(result.children.filter((child) => child.role === "judge").length, 4, "one first try and one repair per candidate");
    assert.ok(result.ranking?.every((candidate) => candidate.failure === undefined));
  });
});

test("a candidate whose judge run fails ranks last and is reported; the others are still judged", async () => {
  const handler = withRubricJudge(["Final answer: 12", "Final answer: 13", "Final answer: 12", "Final answer: 14"], (answer) => {
    if (answer.includes("14")) return { status: 503, headers: { "Retry-After": "0" } };
    return answer.includes("13") ? scored(10, 8, "Right.") : scored(0, 8, "Wrong.");
  });
  await withStrategyServer(handler, async ({ env, home, store }) => {
    const result = await bestOf("What is 5 + 8?", {
      model,
      env,
      home,
      store,
      tools: [],
      samples: 4,
      concurrency: 1,
      select: "judge",
      rubric,
      equivalence: "exact",
    });
    assert.equal(result.status, "completed");
    assert.equal(result.answer, "Final answer: 13");
    assert.deepEqual(
      result.ranking?.map((candidate) => candidate.answer),
      ["13", "12", "14"],
    );
    const last = result.ranking?.[2];
    assert.match(last?.failure ?? "", /the judge run \S+ infra_failed/);
    assert.equal(last?.scores, undefined);
    assert.match(result.summary, /Not scored, ranked last: 14/);
  });
});

test("a rubric without the judge is a configuration error", async () => {
  await assert.rejects(bestOf("What is 5 + 8?", { model, rubric, select: "vote" }), /A rubric is for the judge/);
});
