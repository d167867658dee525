// The durability contract of RunJournal and the stores (docs/architecture.md), as properties:
// random interleavings of appends (awaited or not), heartbeats, calls marked in flight and
// finished, failed writes and crashes of the process, over one to three runs at once, never
// lose a committed item, never reorder or leave a gap, never announce what is not durable, and
// keep each record with the items and step usage it counts. On SQLite and the real PostgreSQL.
import { test } from "node:test";
import { join } from "node:path";
import fc from "fast-check";
import { PostgresRunStore } from "../../src/store/postgres-run-store.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { temporaryHome } from "../support/temporary-home.js";
import { temporarySchema, testDatabaseUrl } from "../store/contract-postgres-schema.js";
import { playScenario, scenarios, type Scenario } from "./journal-crash-model.js";

const operationsPerCase = 40;

// Cases the properties found once, always played again.
const found: [Scenario][] = [
  // A heartbeat before a new run's first append, and another still waiting: the append was sent
  // ahead of it into the creation's commit, and the waiting heartbeat's older record overwrote it.
  [
    {
      runs: 1,
      createdWithFirstCheckpoint: [true],
      operations: [
        { kind: "heartbeat", run: 0, wait: true },
        { kind: "heartbeat", run: 0, wait: false },
        { kind: "append", run: 0, items: 1, newStep: false, wait: false },
        { kind: "tick" },
      ],
    },
  ],
];

test("SQLite: crashes at random points of random interleavings never lose a committed item nor reorder items", async () => {
  const home = temporaryHome();
  const path = join(home.path, "ponder.db");
  let cases = 0;
  try {
    await fc.assert(
      fc.asyncProperty(scenarios(operationsPerCase), (scenario) => playScenario(scenario, () => new SqliteRunStore(path), `${cases++}`)),
      { numRuns: 200, examples: found },
    );
  } finally {
    home.remove();
  }
});

test("PostgreSQL: crashes at random points of random interleavings never lose a committed item nor reorder items", async () => {
  const schema = temporarySchema();
  let cases = 0;
  try {
    await fc.assert(
      fc.asyncProperty(scenarios(operationsPerCase), (scenario) =>
        playScenario(scenario, () => new PostgresRunStore({ url: testDatabaseUrl, schema: schema.name }), `${cases++}`),
      ),
      { numRuns: 60, examples: found },
    );
  } finally {
    await schema.drop();
  }
});
