import { test } from "node:test";
import assert from "node:assert/strict";
import { emptyUsage } from "../../src/core/budget.js";
import {
  budgetStopConditions,
  firstStop,
  stepsExhausted,
  totalTokensExhausted,
  workDeadlineOf,
  type LoopSnapshot,
} from "../../src/loop/stop-conditions.js";

const snapshot = (overrides: Partial<LoopSnapshot>): LoopSnapshot => ({
  usage: emptyUsage(),
  budget: {},
  now: 1000,
  invalidTurnsInARow: 0,
  maxRepairAttempts: 3,
  ...overrides,
});

test("no budget, no stop", () => {
  assert.equal(firstStop(budgetStopConditions, snapshot({})), undefined);
});

test("the step before the last is kept for the final answer", () => {
  assert.equal(stepsExhausted(snapshot({ budget: { maxSteps: 5 }, usage: { ...emptyUsage(), steps: 3 } })), undefined);
  assert.match(stepsExhausted(snapshot({ budget: { maxSteps: 5 }, usage: { ...emptyUsage(), steps: 4 } }))?.reason ?? "", /step limit/);
});

test("tokens stop when another work turn and the final turn would not fit", () => {
  const usage = { ...emptyUsage(), inputTokens: 600, outputTokens: 100 };
  assert.equal(
    totalTokensExhausted(
      snapshot({ usage, budget: { maxTotalTokens: 1000 }, lastTurn: { inputTokens: 100, totalTokens: 140, costUsd: 0 } }),
    ),
    undefined,
  );
  assert.ok(
    totalTokensExhausted(
      snapshot({ usage, budget: { maxTotalTokens: 1000 }, lastTurn: { inputTokens: 100, totalTokens: 200, costUsd: 0 } }),
    ),
  );
});

test("deadline, repairs and cost are each a reason", () => {
  assert.equal(firstStop(budgetStopConditions, snapshot({ workDeadline: 999 }))?.reason, "deadline");
  assert.match(firstStop(budgetStopConditions, snapshot({ invalidTurnsInARow: 4 }))?.reason ?? "", /invalid tool-call turns/);
  const usage = { ...emptyUsage(), costUsd: 0.9 };
  assert.match(
    firstStop(
      budgetStopConditions,
      snapshot({ usage, budget: { maxCostUsd: 1 }, lastTurn: { inputTokens: 1, totalTokens: 1, costUsd: 0.1 } }),
    )?.reason ?? "",
    /cost/,
  );
});

test("the final answer keeps 15% of the time, between 2 s and 60 s", () => {
  assert.equal(workDeadlineOf(0, undefined), undefined);
  assert.equal(workDeadlineOf(0, 100_000), 85_000);
  assert.equal(workDeadlineOf(0, 10_000), 8_000);
  assert.equal(workDeadlineOf(0, 3_000), 1_500);
  assert.equal(workDeadlineOf(0, 3_600_000), 3_540_000);
});
