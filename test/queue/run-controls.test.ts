import { test } from "node:test";
import assert from "node:assert/strict";
import { openRunControls } from "../../src/queue/open-run-controls.js";
import { controlsPlaces as places } from "./controls-test-places.js";

for (const [name, makePlace] of Object.entries(places)) {
  test(`${name}: steer and cancel requests cross connections, in order, each taken once`, async () => {
    const place = makePlace();
    const writerStore = place.open();
    const readerStore = place.open();
    const writer = openRunControls(writerStore);
    const readers = [openRunControls(readerStore), openRunControls(readerStore)];
    try {
      await writer.steer("run_x", "first");
      await writer.steer("run_y", "another run's");
      await writer.steer("run_x", "second", { interrupt: true });
      await writer.cancel("run_x");
      const [one, two] = await Promise.all(readers.map((reader) => reader.take("run_x")));
      assert.deepEqual(
        [...(one ?? []), ...(two ?? [])],
        [{ kind: "steer", text: "first" }, { kind: "steer", text: "second", interrupt: true }, { kind: "cancel" }],
      );
      assert.deepEqual(await writer.take("run_x"), [], "taken requests are not delivered again");
      assert.deepEqual(await writer.take("run_y"), [{ kind: "steer", text: "another run's" }]);
    } finally {
      for (const controls of [writer, ...readers]) await controls.close();
      await writerStore.close();
      await readerStore.close();
      await place.remove();
    }
  });

  test(`${name}: takeMany takes many runs' requests at once, each run's in order, each request once across connections`, async () => {
    const place = makePlace();
    const writerStore = place.open();
    const readerStores = [place.open(), place.open()];
    const writer = openRunControls(writerStore);
    const readers = readerStores.map((store) => openRunControls(store));
    const runIds = Array.from({ length: 30 }, (_, index) => `run_${index}`);
    try {
      for (let round = 0; round < 5; round++) for (const runId of runIds) await writer.steer(runId, `${runId} ${round}`);
      await writer.steer("run_elsewhere", "for a run nobody here advances");
      const taken = await Promise.all(readers.map((reader) => reader.takeMany(runIds)));
      for (const runId of runIds) {
        const texts = taken.flatMap((byRun) => byRun.get(runId) ?? []).map((request) => (request.kind === "steer" ? request.text : ""));
        // Two connections racing split a run's requests at most; none is taken by both.
        assert.deepEqual(
          texts.toSorted(),
          [0, 1, 2, 3, 4].map((round) => `${runId} ${round}`),
        );
        for (const byRun of taken) {
          const own = (byRun.get(runId) ?? []).map((request) => (request.kind === "steer" ? request.text : ""));
          assert.deepEqual(own, own.toSorted(), "each run's requests oldest first");
        }
      }
      assert.equal(taken.flatMap((byRun) => [...byRun.keys()]).includes("run_elsewhere"), false);
      assert.deepEqual(await writer.takeMany(runIds), new Map(), "taken requests are not delivered again");
      assert.deepEqual(await writer.takeMany([]), new Map());
      assert.deepEqual(await writer.take("run_elsewhere"), [{ kind: "steer", text: "for a run nobody here advances" }]);
    } finally {
      for (const controls of [writer, ...readers]) await controls.close();
      for (const store of [writerStore, ...readerStores]) await store.close();
      await place.remove();
    }
  });
}
