import { test } from "node:test";
import assert from "node:assert/strict";
import { bestOf } from "../../src/strategies/best-of.js";
import { RateLimitGate } from "../../src/strategies/shared-model-client.js";
import { withStrategyServer } from "./strategy-server.js";

test("best-of-N at the default concurrency sends every sample's call at once", { timeout: 60_000 }, async () => {
  // The model answers no sample until all twelve are waiting: a strategy that held some back
  // (the old default of 8 at once) would never be answered.
  const samples = 12;
  let waiting = 0;
  let releaseAll: () => void = () => undefined;
  const everyoneHere = new Promise<void>((resolve) => (releaseAll = resolve));
  await withStrategyServer(
    async () => {
      if (++waiting === samples) releaseAll();
      await everyoneHere;
      return { text: "Final answer: 4" };
    },
    async ({ env, home, store }) => {
      const result = await bestOf("What is 2 + 2?", { model: "openai:gpt-4o", env, home, store, tools: [], samples, equivalence: "exact" });
      assert.equal(result.samples.answered, samples);
    },
  );
});

/** A call that entered the gate, to be ended by the test. */
async function enter(gate: RateLimitGate, signal = new AbortController().signal) {
  return gate.enter(signal);
}

test("the rate-limit gate: no limit until a 429, then half the calls in flight, growing back by one per limit successes", async () => {
  const gate = new RateLimitGate();
  const tickets = await Promise.all(Array.from({ length: 8 }, () => enter(gate)));
  assert.equal(gate.limit, Number.POSITIVE_INFINITY, "no limit before the provider says 429");
  gate.leave(tickets[0] as number, { ok: false, rateLimited: true, retryAfterMs: 0 });
  assert.equal(gate.limit, 4, "half of the eight in flight");
  // Calls already on their way when the limit was cut meet the same 429: the limit is cut once.
  gate.leave(tickets[1] as number, { ok: false, rateLimited: true, retryAfterMs: 0 });
  gate.leave(tickets[2] as number, { ok: false, rateLimited: true, retryAfterMs: 0 });
  assert.equal(gate.limit, 4);
  assert.equal(gate.rateLimited, 3);
  // Five still in flight, the limit four: a new call waits until two have ended.
  let entered = false;
  const waiting = enter(gate).then((ticket) => {
    entered = true;
    return ticket;
  });
  gate.leave(tickets[3] as number, { ok: true });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(entered, false, "four in flight: still full");
  gate.leave(tickets[4] as number, { ok: true });
  const late = await waiting;
  assert.equal(entered, true);
  for (const ticket of [tickets[5], tickets[6]]) gate.leave(ticket as number, { ok: true });
  assert.equal(gate.limit, 5, "four successes at a limit of four: one more");
  // A 429 of a call that started after the cut cuts again, from what is in flight then.
  gate.leave(late, { ok: false, rateLimited: true, retryAfterMs: 0 });
  assert.equal(gate.limit, 1);
  gate.leave(tickets[7] as number, { ok: true });
});

test("a call waiting for the rate-limit gate stops when its signal aborts", async () => {
  const gate = new RateLimitGate();
  const first = await enter(gate);
  gate.leave(first, { ok: false, rateLimited: true, retryAfterMs: 0 });
  const held = await enter(gate);
  assert.equal(gate.limit, 1);
  const controller = new AbortController();
  const waiting = enter(gate, controller.signal);
  controller.abort(new Error("cancelled by the test"));
  await assert.rejects(waiting, /cancelled by the test/);
  gate.leave(held, { ok: true });
  const next = await enter(gate);
  gate.leave(next, { ok: true });
});
