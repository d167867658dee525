import { test } from "node:test";
import assert from "node:assert/strict";
import { extractFinalAnswer, normaliseAnswer } from "../../src/strategies/answer-extraction.js";
import { cachedEquivalence, candidateOf, clusterAnswers, clusterByKey, type Candidate } from "../../src/strategies/answer-clusters.js";
import { leaderConfidence, wilsonInterval } from "../../src/strategies/confidence.js";
import { majorityVote } from "../../src/strategies/vote.js";
import { isConfident, nextRoundSize } from "../../src/strategies/adaptive-stopping.js";

const key = (text: string) => normaliseAnswer(extractFinalAnswer(text));

test("final answers are extracted from boxed LaTeX and answer lines", () => {
  assert.equal(extractFinalAnswer("so x = 2, thus \\boxed{\\frac{1}{2}} and done"), "\\frac{1}{2}");
  assert.equal(extractFinalAnswer("Reasoning...\n**Final answer:** 1,234 km\n"), "1,234 km");
  assert.equal(extractFinalAnswer("Answer: 7\nWait, recheck.\nFinal Answer: 8"), "8");
  assert.equal(extractFinalAnswer("Final answer:\nParis"), "Paris");
  assert.equal(extractFinalAnswer("  Just this.  "), "Just this.");
});

test("numbers normalise across commas, units, signs, fractions and floating-point noise", () => {
  assert.equal(key("Final answer: 1,234 km"), "1234");
  assert.equal(key("\\boxed{1234}"), "1234");
  assert.equal(key("$1,234.50"), "1234.5");
  assert.equal(key("\\boxed{\\frac{1}{2}}"), "0.5");
  assert.equal(key("0.30000000000000004"), "0.3");
  assert.equal(key("Answer: 50%"), "50%");
  assert.equal(key("Answer: 50 percent"), "50%");
  assert.notEqual(key("Answer: 50%"), key("Answer: 50"));
  assert.equal(key("-3."), "-3");
});

test("text normalises case, whitespace, markup and surrounding punctuation", () => {
  assert.equal(key("Final answer: **Paris**."), "paris");
  assert.equal(key("  PARIS  "), "paris");
  assert.equal(key("The   Eiffel\nTower!"), "the eiffel tower");
  assert.equal(key("3 cats and 2 dogs"), "3 cats and 2 dogs");
});

const candidate = (runId: string, text: string) => candidateOf(runId, text, extractFinalAnswer);

test("clusters are largest first with shares; ties keep the order seen", () => {
  const clusters = clusterByKey([
    candidate("a", "Answer: 4"),
    candidate("b", "5"),
    candidate("c", "\\boxed{4}"),
    candidate("d", "5"),
    candidate("e", "6"),
  ]);
  assert.deepEqual(
    clusters.map((cluster) => [cluster.key, cluster.members.length, cluster.share]),
    [
      ["4", 2, 0.4],
      ["5", 2, 0.4],
      ["6", 1, 0.2],
    ],
  );
  const vote = majorityVote(clusters);
  assert.equal(vote?.winner.key, "4");
  assert.equal(vote?.tied, true);
  assert.equal(vote?.votes, 5);
});

test("free text joins a cluster when the equivalence check says so, and each pair is checked once", async () => {
  const long = (text: string) =>
    candidate(text, `${text} because of a long chain of reasons that makes this answer free text rather than a short value`);
  let checks = 0;
  const equivalent = cachedEquivalence(async (first: Candidate, second: Candidate) => {
    checks++;
    return first.text.startsWith("yes") === second.text.startsWith("yes");
  });
  const candidates = [long("yes one"), long("no two"), long("yes three"), long("yes one")];
  const clusters = await clusterAnswers(candidates, equivalent);
  assert.deepEqual(
    clusters.map((cluster) => cluster.members.length),
    [3, 1],
  );
  await clusterAnswers(candidates, equivalent);
  assert.equal(checks, 2, "a second clustering asks nothing new");
});

test("the Wilson interval contains the share and stays in [0, 1]", () => {
  const { lower, upper } = wilsonInterval(8, 10);
  assert.ok(lower > 0.44 && lower < 0.5 && upper > 0.94 && upper < 0.95, `${lower} ${upper}`);
  assert.deepEqual(wilsonInterval(0, 0), { lower: 0, upper: 1 });
  assert.ok(wilsonInterval(10, 10).upper <= 1);
});

test("leader confidence: agreement is quickly confident, an even split never is", () => {
  assert.ok(Math.abs(leaderConfidence(3, 0) - 0.9375) < 1e-9);
  assert.ok(Math.abs(leaderConfidence(2, 0) - 0.875) < 1e-9);
  assert.ok(Math.abs(leaderConfidence(30, 30) - 0.5) < 1e-9);
  assert.ok(leaderConfidence(600, 400) > 0.999);
});

test("adaptive rounds ask for just enough samples, and stop when confident or out of samples", () => {
  const state = { leaderVotes: 2, runnerUpVotes: 0, launched: 2, maxSamples: 64, threshold: 0.9, concurrency: 8 };
  assert.equal(nextRoundSize(state), 1);
  assert.equal(nextRoundSize({ ...state, leaderVotes: 3 }), 0);
  assert.ok(isConfident({ ...state, leaderVotes: 3 }));
  assert.equal(nextRoundSize({ ...state, leaderVotes: 1, runnerUpVotes: 1 }), 4, "five to one is the first confident split");
  assert.equal(nextRoundSize({ ...state, leaderVotes: 20, runnerUpVotes: 20, launched: 40 }), 8, "at most the concurrency");
  assert.equal(nextRoundSize({ ...state, leaderVotes: 30, runnerUpVotes: 30, launched: 62 }), 2);
  assert.equal(nextRoundSize({ ...state, leaderVotes: 32, runnerUpVotes: 32, launched: 64 }), 0);
});
