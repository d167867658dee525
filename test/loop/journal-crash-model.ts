// A model of processes that advance runs through RunJournal on a real store and crash at random
// moments, for the property tests of the durability contract (docs/architecture.md). A crash cuts
// the process off its store: every store call made after it is lost, the calls already made are
// let finish (they are the commits that happened before the crash), and the store is closed. A new
// process then opens the store again and resumes each run from what is stored, as advanceRun does.
import assert from "node:assert/strict";
import fc from "fast-check";
import { emptyUsage } from "../../src/core/budget.js";
import type { RunEvent } from "../../src/core/events.js";
import { runSchemaVersion, type RunRecord } from "../../src/core/run.js";
import { RunJournal } from "../../src/loop/run-journal.js";
import type { RunStore } from "../../src/store/run-store.js";

export type Operation =
  | { kind: "append"; run: number; items: number; newStep: boolean; wait: boolean }
  | { kind: "heartbeat"; run: number; wait: boolean }
  | { kind: "markCall"; run: number; wait: boolean }
  | { kind: "finishCall"; run: number; wait: boolean }
  /** The run's next store write fails before reaching the store (a full disk, a lost connection). */
  | { kind: "failNextWrite"; run: number }
  /** Lets the event loop turn: gathered appends go out, group commits happen. */
  | { kind: "tick" }
  | { kind: "crash" };

export type Scenario = { runs: number; createdWithFirstCheckpoint: boolean[]; operations: Operation[] };

export function scenarios(maxOperations: number): fc.Arbitrary<Scenario> {
  return fc.integer({ min: 1, max: 3 }).chain((runs) => {
    const run = fc.integer({ min: 0, max: runs - 1 });
    const operation: fc.Arbitrary<Operation> = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({
          kind: fc.constant("append" as const),
          run,
          items: fc.integer({ min: 0, max: 3 }),
          newStep: fc.boolean(),
          wait: fc.boolean(),
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("heartbeat" as const), run, wait: fc.boolean() }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant("markCall" as const), run, wait: fc.boolean() }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant("finishCall" as const), run, wait: fc.boolean() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("failNextWrite" as const), run }) },
      { weight: 3, arbitrary: fc.constant({ kind: "tick" as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: "crash" as const }) },
    );
    return fc.record({
      runs: fc.constant(runs),
      createdWithFirstCheckpoint: fc.array(fc.boolean(), { minLength: runs, maxLength: runs }),
      operations: fc.array(operation, { maxLength: maxOperations }),
    });
  });
}

/** What the test knows about one run across processes. */
type RunModel = {
  id: string;
  /** Item ids in the order journals appended them (after a resume: what was stored, then the new ones). */
  appended: string[];
  /** Item ids whose append settled: committed, so they must survive any crash. */
  committed: Set<string>;
  /** Item ids announced by item-added events, in order. */
  announced: string[];
  /** Step numbers whose usage was appended, by the id of the item appended with it. */
  stepOfItem: Map<string, number>;
  /** Calls whose in-flight mark settled, and the item that finished each call (once appended). */
  markedCalls: Set<string>;
  finishingItem: Map<string, string>;
  calls: number;
};

/** A process: its connection to the store and the journal of each run it advances. */
type Process = { store: RunStore; crashed: boolean; inFlight: Set<Promise<unknown>>; failNext: Set<string>; journals: RunJournal[] };

/**
 * A store as one process sees it: calls after the crash never reach the store (and never settle);
 * a call made before it is followed until it settles, so the crash can wait for it.
 */
function processView(process: Process): RunStore {
  const store = process.store;
  const forward = <T>(runId: string, call: () => Promise<T>): Promise<T> => {
    if (process.crashed) return new Promise<T>(() => undefined);
    if (process.failNext.delete(runId)) return Promise.reject(new Error("injected write failure"));
    const pending = call();
    process.inFlight.add(pending);
    void pending.then(
      () => process.inFlight.delete(pending),
      () => process.inFlight.delete(pending),
    );
    return pending;
  };
  return {
    writesInCallOrder: store.writesInCallOrder,
    createRun: (record) => forward(record.id, () => store.createRun(record)),
    getRun: (id) => store.getRun(id),
    listRuns: (filter) => store.listRuns(filter),
    updateRun: (id, patch) => forward(id, () => store.updateRun(id, patch)),
    saveRun: (record, fence) => forward(record.id, () => store.saveRun(record, fence)),
    appendItems: (runId, step, items, record, stepUsage, fence) =>
      forward(runId, () => store.appendItems(runId, step, items, record, stepUsage, fence)),
    listSteps: (runId) => store.listSteps(runId),
    listItems: (runId, afterSeq) => store.listItems(runId, afterSeq),
    readRunToAdvance: (id) => forward(id, () => store.readRunToAdvance(id)),
    deleteRun: (runId) => forward(runId, () => store.deleteRun(runId)),
    close: () => store.close(),
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Plays a scenario against stores made by `openStore` (each call: a new process's connection to
 * the same database), checking the contract after every crash and at the end.
 */
export async function playScenario(scenario: Scenario, openStore: () => RunStore, caseId: string): Promise<void> {
  const models: RunModel[] = Array.from({ length: scenario.runs }, (_, index) => ({
    id: `run_${caseId}_${index}`,
    appended: [],
    committed: new Set(),
    announced: [],
    stepOfItem: new Map(),
    markedCalls: new Set(),
    finishingItem: new Map(),
    calls: 0,
  }));
  // The store a failing check leaves open is closed too: fast-check plays many cases while it shrinks one.
  let open = openStore();
  try {
    await playOperations(scenario, models, open, () => (open = openStore()));
  } finally {
    await open.close().catch(() => undefined);
  }
}

async function playOperations(scenario: Scenario, models: RunModel[], first: RunStore, openStore: () => RunStore): Promise<void> {
  let process = await startProcess(models, first, scenario.createdWithFirstCheckpoint);
  const settled = (promise: Promise<unknown>, onDone: () => void) => promise.then(onDone, () => undefined);
  for (const operation of scenario.operations) {
    if (operation.kind === "tick") {
      await tick();
      continue;
    }
    if (operation.kind === "crash") {
      await crash(process);
      const next = openStore();
      await checkContract(next, models);
      process = await startProcess(models, next);
      continue;
    }
    const model = models[operation.run] as RunModel;
    const journal = process.journals[operation.run] as RunJournal;
    if (operation.kind === "failNextWrite") {
      process.failNext.add(model.id);
      continue;
    }
    let done: Promise<unknown>;
    if (operation.kind === "heartbeat") done = journal.heartbeat();
    else if (operation.kind === "markCall") {
      const callId = `call_${model.calls++}`;
      done = journal.markCallStarted(callId);
      void settled(done, () => model.markedCalls.add(callId));
    } else {
      const callId = operation.kind === "finishCall" ? journal.record.callsInFlight?.[0] : undefined;
      const newStep = operation.kind === "append" && operation.newStep;
      // A step's usage goes with at least one item, the one that tells the test it is stored.
      const count = operation.kind === "append" ? Math.max(operation.items, newStep ? 1 : 0) : 1;
      const usage = { ...journal.usage, steps: journal.usage.steps + (newStep ? 1 : 0), toolCalls: model.appended.length + count };
      const stepUsage = newStep
        ? {
            step: usage.steps,
            model: "scripted:test",
            inputTokens: 0,
            outputTokens: 0,
            reasoningTokens: 0,
            cachedInputTokens: 0,
            costUsd: 0,
            durationMs: 0,
            finishReason: "stop",
          }
        : undefined;
      const texts = Array.from({ length: count }, (_, index) => `${model.appended.length + index}`);
      const { items, durable } = journal.appendSoon(
        texts.map((text) => ({ type: "note" as const, kind: "info" as const, text })),
        { usage, ...(callId ? journal.callFinished(callId) : {}) },
        stepUsage,
      );
      for (const item of items) model.appended.push(item.id);
      if (stepUsage && items[0]) model.stepOfItem.set(items[0].id, stepUsage.step);
      if (callId && items[0]) model.finishingItem.set(callId, items[0].id);
      done = durable;
      void settled(durable, () => items.forEach((item) => model.committed.add(item.id)));
    }
    // A failed write is the journal's to report; the contract is about what stays stored.
    const observed = done.catch(() => undefined);
    if (operation.wait) await observed;
  }
  await crash(process);
  await checkContract(openStore(), models);
}

async function startProcess(models: RunModel[], store: RunStore, createdWithFirstCheckpoint?: boolean[]): Promise<Process> {
  const process: Process = { store, crashed: false, inFlight: new Set(), failNext: new Set(), journals: [] };
  const view = processView(process);
  for (const [index, model] of models.entries()) {
    const announce = (event: RunEvent) => {
      if (event.type === "item-added") model.announced.push(event.item.id);
    };
    if (createdWithFirstCheckpoint) {
      const now = new Date().toISOString();
      const record: RunRecord = {
        schemaVersion: runSchemaVersion,
        id: model.id,
        status: "running",
        spec: { model: "scripted:test", input: "q", effort: "low", budget: {}, tools: [] },
        createdAt: now,
        updatedAt: now,
        usage: emptyUsage(),
      };
      // As startRun does: the first checkpoint may be made while the creation commits.
      const creating = view.createRun(record);
      if (createdWithFirstCheckpoint[index]) process.journals.push(new RunJournal(record, [], view, announce, undefined, creating));
      else {
        await creating;
        process.journals.push(new RunJournal(record, [], view, announce));
      }
      continue;
    }
    // As advanceRun resumes: the record and the items, as stored.
    const record = await process.store.getRun(model.id);
    assert.ok(record, `${model.id} was created before the first crash`);
    const items = (await process.store.listItems(model.id)).map((stored) => stored.item);
    model.appended = items.map((item) => item.id);
    model.announced = [...model.appended];
    process.journals.push(new RunJournal(record, items, view, announce));
  }
  return process;
}

/** The process dies: nothing it does reaches the store any more; what it had sent commits or fails. */
async function crash(process: Process): Promise<void> {
  process.crashed = true;
  while (process.inFlight.size > 0) await Promise.allSettled([...process.inFlight]);
  // What was waiting on those commits (durable promises, announcements) has run.
  await tick();
  await process.store.close();
}

/** The contract, read back from the store as the next process finds it after a crash. */
async function checkContract(store: RunStore, models: RunModel[]): Promise<void> {
  for (const model of models) {
    const stored = await store.listItems(model.id);
    const ids = stored.map((entry) => entry.item.id);
    assert.deepEqual(
      stored.map((entry) => entry.seq),
      ids.map((_, index) => index),
      "no gap in the stored log",
    );
    assert.deepEqual(ids, model.appended.slice(0, ids.length), "the stored log is what was appended, in order, up to some point");
    for (const id of model.committed) assert.ok(ids.includes(id), `a committed item (${id}) is lost`);
    assert.deepEqual(model.announced, ids.slice(0, model.announced.length), "only durable items are announced, in order");
    const record = await store.getRun(model.id);
    assert.equal(record?.usage.toolCalls ?? 0, ids.length, "the record and the items it counts commit together");
    const steps = (await store.listSteps(model.id)).map((usage) => usage.step);
    assert.deepEqual(
      steps,
      ids.flatMap((id) => model.stepOfItem.get(id) ?? []),
      "a step's usage commits with its items",
    );
    for (const callId of model.markedCalls) {
      const finishing = model.finishingItem.get(callId);
      const finished = finishing !== undefined && ids.includes(finishing);
      assert.ok(
        finished || record?.callsInFlight?.includes(callId),
        `${callId} was marked in flight, and neither its mark nor its output is stored`,
      );
    }
  }
}
