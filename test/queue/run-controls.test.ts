import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openRunControls } from "../../src/queue/open-run-controls.js";
import { PostgresRunStore } from "../../src/store/postgres-run-store.js";
import type { RunStore } from "../../src/store/run-store.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { temporarySchema, testDatabaseUrl } from "../store/contract-postgres-schema.js";

type Place = { open: () => RunStore; remove: () => Promise<void> };

const places: Record<string, () => Place> = {
  sqlite: () => {
    const directory = mkdtempSync(join(tmpdir(), "ponder-controls-"));
    return {
      open: () => new SqliteRunStore(join(directory, "ponder.db")),
      remove: async () => rmSync(directory, { recursive: true, force: true }),
    };
  },
  postgres: () => {
    const schema = temporarySchema();
    return { open: () => new PostgresRunStore({ url: testDatabaseUrl, schema: schema.name }), remove: schema.drop };
  },
};

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
}
