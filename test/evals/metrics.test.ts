import { test } from "node:test";
import assert from "node:assert/strict";
import { majorityCorrect, passAtK, passHatK } from "../../src/evals/metrics/estimators.js";
import { pairedComparison } from "../../src/evals/metrics/paired-comparison.js";
import { accuracyOf, kValues, summarise } from "../../src/evals/metrics/summary.js";
import type { DatasetItem } from "../../src/evals/dataset.js";
import type { SampleOutcome, SampleRecord } from "../../src/evals/outcome.js";
import { configGrid } from "../../src/evals/eval-config.js";

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} ≠ ${expected}`);

test("pass@k is Chen et al.'s unbiased estimator, checked against hand-computed binomials", () => {
  close(passAtK(5, 2, 1), 0.4);
  close(passAtK(5, 2, 2), 1 - 3 / 10); // 1 − C(3,2)/C(5,2)
  close(passAtK(10, 3, 4), 1 - 35 / 210); // 1 − C(7,4)/C(10,4)
  close(passAtK(4, 3, 2), 1); // fewer than k failures: some draw always passes
  close(passAtK(5, 0, 3), 0);
  assert.throws(() => passAtK(2, 1, 3), RangeError);
});

test("pass^k is the chance that k draws all pass, C(c,k)/C(n,k)", () => {
  close(passHatK(5, 2, 2), 1 / 10);
  close(passHatK(5, 4, 3), 4 / 10);
  close(passHatK(5, 5, 5), 1);
  close(passHatK(5, 1, 2), 0);
});

test("maj@k votes over the first k answers; ties go to the answer seen first; answer-less samples abstain", () => {
  const attempts = [
    { answerKey: "a", passed: true },
    { answerKey: "b", passed: false },
    { answerKey: "b", passed: false },
  ];
  assert.equal(majorityCorrect(attempts, 1), true);
  assert.equal(majorityCorrect(attempts, 3), false);
  assert.equal(
    majorityCorrect(
      [
        { answerKey: "a", passed: false },
        { answerKey: "b", passed: true },
      ],
      2,
    ),
    false,
  );
  assert.equal(majorityCorrect([{ passed: false }, { answerKey: "7", passed: true }], 2), true);
});

test("accuracy leaves errors out and carries a Wilson interval (8/10 → [0.490, 0.943])", () => {
  const samples = [
    ...Array.from({ length: 8 }, (_, index) => sample("x", 0, index, { status: "pass" })),
    sample("x", 0, 8, { status: "fail" }),
    sample("x", 0, 9, { status: "fail" }),
    sample("x", 0, 10, { status: "error", kind: "infra", message: "sandbox died" }),
  ];
  const accuracy = accuracyOf(samples);
  assert.equal(accuracy.scored, 10);
  close(accuracy.accuracy, 0.8);
  close(accuracy.interval.lower, 0.4901625, 1e-6);
  close(accuracy.interval.upper, 0.9433178, 1e-6);
});

test("a summary: per-config accuracy, error rate, pass@k, pass^k, maj@k, cost and per-tag breakdowns", () => {
  const [one, two] = configGrid(["m"], ["low", "high"], [1]) as [
    ReturnType<typeof configGrid>[number],
    ReturnType<typeof configGrid>[number],
  ];
  const samples = [
    sample("A", 0, 0, { status: "pass" }, one.id, "4"),
    sample("A", 0, 1, { status: "pass" }, one.id, "4"),
    sample("A", 0, 2, { status: "fail" }, one.id, "5"),
    sample("B", 0, 0, { status: "fail" }, one.id, "1"),
    sample("B", 0, 1, { status: "fail" }, one.id, "2"),
    sample("B", 0, 2, { status: "fail" }, one.id, "2"),
    { ...sample("B", 0, 3, { status: "error", kind: "infra", message: "503" }, one.id), retried: true },
    sample("A", 0, 0, { status: "pass" }, two.id),
    sample("A", 0, 1, { status: "pass" }, two.id),
    sample("A", 0, 2, { status: "pass" }, two.id),
    sample("B", 0, 0, { status: "pass" }, two.id),
    sample("B", 0, 1, { status: "fail" }, two.id),
    sample("B", 0, 2, { status: "pass" }, two.id),
  ];
  const summary = summarise(samples, [item("A", ["math"]), item("B", ["math", "hard"])], [one, two]);
  assert.deepEqual(summary.ks, [1, 2, 3]);
  const low = summary.configs[0];
  assert.ok(low);
  close(low.accuracy, 2 / 6);
  close(low.errorRate, 1 / 7);
  assert.deepEqual(low.errorKinds, { infra: 1 });
  assert.equal(low.retried, 1);
  close(low.passAtK[1] as number, (2 / 3 + 0) / 2);
  close(low.passAtK[2] as number, (1 + 0) / 2);
  close(low.passHatK[2] as number, (1 / 3 + 0) / 2);
  close(low.majAtK[3] as number, 0.5); // A: "4" twice, passed; B: "2" twice, failed
  close(low.meanTokens, 30);
  const hard = summary.tags.find((tag) => tag.tag === "hard" && tag.configId === two.id);
  close(hard?.accuracy ?? Number.NaN, 2 / 3);
  const comparison = summary.comparisons[0];
  assert.ok(comparison);
  close(comparison.difference, (2 / 3 - 1 + (0 - 2 / 3)) / 2);
});

test("the paired bootstrap is seeded (same input, same interval) and brackets the observed difference", () => {
  const a = {
    id: "a",
    rates: new Map([
      ["x", 1],
      ["y", 1],
      ["z", 0],
      ["w", 1],
    ]),
  };
  const b = {
    id: "b",
    rates: new Map([
      ["x", 0],
      ["y", 1],
      ["z", 0],
      ["w", 0],
    ]),
  };
  const first = pairedComparison(a, b, { seed: 7 });
  const second = pairedComparison(a, b, { seed: 7 });
  assert.deepEqual(first, second);
  close(first.difference, 0.5);
  assert.ok(first.interval.lower >= 0 && first.interval.lower <= 0.5 && first.interval.upper >= 0.5 && first.interval.upper <= 1);
  assert.equal(kValues(5).join(","), "1,2,4,5");
});

function item(id: string, tags: string[] = []): DatasetItem {
  return { id, input: `question ${id}`, target: "4", files: [], images: [], tags, metadata: {} };
}

function sample(
  itemId: string,
  configIndex: number,
  epoch: number,
  outcome: SampleOutcome,
  configId = `config-${configIndex}`,
  answerKey?: string,
): SampleRecord {
  return {
    key: `${itemId}-${configId}-${epoch}`,
    itemId,
    configId,
    epoch,
    retriedRunIds: [],
    retried: false,
    ...(answerKey ? { answerKey, answer: answerKey } : {}),
    outcome,
    inputTokens: 20,
    outputTokens: 10,
    costUsd: 0.001,
    durationMs: 100,
    finishedAt: "2026-01-01T00:00:00.000Z",
  };
}
