import { test } from "node:test";
import assert from "node:assert/strict";
import { deliverControls } from "../../src/queue/deliver-controls.js";
import { openRunControls } from "../../src/queue/open-run-controls.js";
import type { ControlRequest, RunControls } from "../../src/queue/run-controls.js";
import { controlsPlaces, countStatements } from "./controls-test-places.js";

// Long enough that only a poll a run asks for happens during a test; short for the tests of ticks.
const noTick = 3_600_000;

/** A run's handle that records what reaches it and wakes whoever waits for a count. */
class Recorder {
  readonly received: string[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(private readonly onRecord: () => void = () => undefined) {}

  readonly handle = {
    steer: (text: string) => this.record(text),
    cancel: () => this.record("cancel"),
  };

  until(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  private record(entry: string): void {
    this.received.push(entry);
    for (const waiter of this.waiters.filter((waiter) => this.received.length >= waiter.count)) waiter.resolve();
    this.onRecord();
  }
}

/** The controls with their takes counted, and a gate that can hold a poll after its statement ran. */
function watched(controls: RunControls) {
  const takeManyCalls: string[][] = [];
  let takes = 0;
  let gate: Promise<void> | undefined;
  let onTaken: (() => void) | undefined;
  const wrapper: RunControls = {
    steer: (runId, text, options) => controls.steer(runId, text, options),
    cancel: (runId) => controls.cancel(runId),
    close: () => controls.close(),
    take: (runId) => {
      takes++;
      return controls.take(runId);
    },
    takeMany: async (runIds) => {
      takeManyCalls.push([...runIds]);
      const taken = await controls.takeMany(runIds);
      onTaken?.();
      await gate;
      return taken;
    },
  };
  return {
    controls: wrapper,
    takeManyCalls,
    takes: () => takes,
    /** Holds the next polls after they took their rows; resolves once one has. */
    hold(): { taken: Promise<void>; release: () => void } {
      let release = () => undefined as void;
      gate = new Promise<void>((resolve) => (release = resolve));
      const taken = new Promise<void>((resolve) => (onTaken = resolve));
      return {
        taken,
        release: () => {
          gate = undefined;
          onTaken = undefined;
          release();
        },
      };
    },
  };
}

const steerText = (request: ControlRequest) => (request.kind === "steer" ? request.text : request.kind);

for (const [name, makePlace] of Object.entries(controlsPlaces)) {
  test(`${name}: many live runs share one statement per poll; each gets only its own requests, in order, once`, async () => {
    const place = makePlace();
    const writerStore = place.open();
    const readerStore = place.open();
    const writer = openRunControls(writerStore);
    const reader = watched(openRunControls(readerStore));
    const statements = countStatements(readerStore);
    const runIds = Array.from({ length: 20 }, (_, index) => `run_${index}`);
    const recorders = runIds.map(() => new Recorder());
    try {
      for (const runId of runIds) {
        await writer.steer(runId, `${runId} first`);
        await writer.steer(runId, `${runId} second`, { interrupt: true });
      }
      await writer.cancel("run_3");
      await writer.steer("run_elsewhere", "not advanced here");
      const statementsBefore = statements?.() ?? 0;
      // Registered in one turn, each asking for a poll now: they share it.
      const deliveries = runIds.map((runId, index) => deliverControls(runId, reader.controls, noTick, recorders[index]!.handle));
      await Promise.all(recorders.map((recorder, index) => recorder.until(index === 3 ? 3 : 2)));
      assert.equal(reader.takeManyCalls.length, 1, "one poll for all twenty runs");
      assert.deepEqual(reader.takeManyCalls[0]?.toSorted(), runIds.toSorted());
      assert.equal(reader.takes(), 0);
      if (statements) assert.equal(statements() - statementsBefore, 1, "one statement on PostgreSQL");
      for (const [index, runId] of runIds.entries())
        assert.deepEqual(recorders[index]!.received, [`${runId} first`, `${runId} second`, ...(index === 3 ? ["cancel"] : [])]);
      await Promise.all(deliveries.map((delivery) => delivery.stop()));
      for (const [index, runId] of runIds.entries()) assert.equal(recorders[index]!.received.length, index === 3 ? 3 : 2, runId);
      assert.deepEqual(await writer.takeMany(runIds), new Map(), "delivered requests are taken");
      // A run no process advances keeps its requests for the next that does.
      assert.deepEqual((await writer.take("run_elsewhere")).map(steerText), ["not advanced here"]);
    } finally {
      await Promise.all([writer.close(), reader.controls.close()]);
      await Promise.all([writerStore.close(), readerStore.close()]);
      await place.remove();
    }
  });

  test(`${name}: the interval's polls take every registered run's requests in one call; a stopped run's wait for the next process`, async () => {
    const place = makePlace();
    const writerStore = place.open();
    const readerStore = place.open();
    const writer = openRunControls(writerStore);
    const reader = watched(openRunControls(readerStore));
    const runIds = ["run_a", "run_b", "run_c"];
    const recorders = runIds.map(() => new Recorder());
    try {
      const deliveries = runIds.map((runId, index) =>
        deliverControls(runId, reader.controls, 5, recorders[index]!.handle, { pollNow: false }),
      );
      for (const runId of runIds) await writer.steer(runId, `${runId} by tick`);
      await Promise.all(recorders.map((recorder) => recorder.until(1)));
      await deliveries[1]!.stop();
      await writer.steer("run_b", "after run_b stopped here");
      await writer.steer("run_a", "run_a again");
      await recorders[0]!.until(2);
      await Promise.all([deliveries[0]!.stop(), deliveries[2]!.stop()]);
      assert.deepEqual(recorders[0]!.received, ["run_a by tick", "run_a again"]);
      assert.deepEqual(recorders[1]!.received, ["run_b by tick"]);
      assert.deepEqual(recorders[2]!.received, ["run_c by tick"]);
      assert.ok(reader.takeManyCalls.length >= 2);
      const stoppedAt = reader.takeManyCalls.findIndex((runIdsPolled) => !runIdsPolled.includes("run_b"));
      assert.ok(stoppedAt > 0, "run_b left the polls when it stopped");
      for (const [index, polled] of reader.takeManyCalls.entries())
        assert.deepEqual(polled.toSorted(), index < stoppedAt ? runIds : ["run_a", "run_c"], `poll ${index}`);
      assert.equal(reader.takes(), 0);
      assert.deepEqual((await writer.take("run_b")).map(steerText), ["after run_b stopped here"]);
    } finally {
      await Promise.all([writer.close(), reader.controls.close()]);
      await Promise.all([writerStore.close(), readerStore.close()]);
      await place.remove();
    }
  });

  test(`${name}: stop() waits for a poll in flight, whose requests still reach the stopped run; a run asking meanwhile is polled after it`, async () => {
    const place = makePlace();
    const writerStore = place.open();
    const readerStore = place.open();
    const writer = openRunControls(writerStore);
    const reader = watched(openRunControls(readerStore));
    const early = new Recorder();
    const late = new Recorder();
    try {
      await writer.steer("run_early", "taken in flight");
      await writer.steer("run_late", "for the run that asked meanwhile");
      const held = reader.hold();
      const earlyDelivery = deliverControls("run_early", reader.controls, noTick, early.handle);
      await held.taken;
      const lateDelivery = deliverControls("run_late", reader.controls, noTick, late.handle);
      // The late run's poll comes due (immediates run in order) while the early one is still held.
      await new Promise((resolve) => setImmediate(resolve));
      // What the handle had when stop() returned: the request taken in flight must be there.
      const seenAtStop = earlyDelivery.stop().then(() => [...early.received]);
      held.release();
      assert.deepEqual(await seenAtStop, ["taken in flight"]);
      await late.until(1);
      assert.deepEqual(late.received, ["for the run that asked meanwhile"]);
      assert.deepEqual(reader.takeManyCalls, [["run_early"], ["run_late"]]);
      await lateDelivery.stop();
    } finally {
      await Promise.all([writer.close(), reader.controls.close()]);
      await Promise.all([writerStore.close(), readerStore.close()]);
      await place.remove();
    }
  });

  test(`${name}: two processes' pollers on the same runs never both deliver one request`, async () => {
    const place = makePlace();
    const writerStore = place.open();
    const readerStores = [place.open(), place.open()];
    const writer = openRunControls(writerStore);
    const readers = readerStores.map((store) => openRunControls(store));
    const runIds = Array.from({ length: 10 }, (_, index) => `run_${index}`);
    const perRun = 6;
    const total = runIds.length * perRun;
    let allDelivered = () => undefined as void;
    const delivered = new Promise<void>((resolve) => (allDelivered = resolve));
    const recorders: Recorder[] = readers.map(
      () => new Recorder(() => recorders[0]!.received.length + recorders[1]!.received.length >= total && allDelivered()),
    );
    try {
      // Each process advances (as it believes) every run, polling as often as it can.
      const deliveries = readers.flatMap((reader, readerIndex) =>
        runIds.map((runId) => deliverControls(runId, reader, 1, recorders[readerIndex]!.handle)),
      );
      for (let round = 0; round < perRun; round++) for (const runId of runIds) await writer.steer(runId, `${runId} ${round}`);
      await delivered;
      await Promise.all(deliveries.map((delivery) => delivery.stop()));
      const all = recorders.flatMap((recorder) => recorder.received);
      assert.equal(all.length, total, "no request delivered twice");
      assert.deepEqual(
        all.toSorted(),
        runIds.flatMap((runId) => Array.from({ length: perRun }, (_, round) => `${runId} ${round}`)).toSorted(),
      );
      for (const recorder of recorders)
        for (const runId of runIds) {
          const own = recorder.received.filter((text) => text.startsWith(`${runId} `));
          assert.deepEqual(own, own.toSorted(), "each process sees a run's requests in order");
        }
    } finally {
      for (const controls of [writer, ...readers]) await controls.close();
      for (const store of [writerStore, ...readerStores]) await store.close();
      await place.remove();
    }
  });
}

test("sqlite: no timer is left once every run has stopped", async () => {
  const place = controlsPlaces.sqlite!();
  const store = place.open();
  const controls = openRunControls(store);
  const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;
  try {
    const before = timers();
    const deliveries = ["run_a", "run_b"].map((runId) =>
      deliverControls(runId, controls, noTick, new Recorder().handle, { pollNow: false }),
    );
    assert.equal(timers(), before + 1, "one timer for both runs");
    await deliveries[0]!.stop();
    assert.equal(timers(), before + 1);
    await deliveries[1]!.stop();
    assert.equal(timers(), before);
  } finally {
    await controls.close();
    await store.close();
    await place.remove();
  }
});
