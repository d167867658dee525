import { test } from "node:test";
import assert from "node:assert/strict";
import { recordJson } from "../../src/store/record-json.js";
import { record } from "./run-store-contract.js";

test("a stored record is the record's JSON, also when its spec's serialisation is reused", () => {
  const first = {
    ...record("run_json", "2026-01-01T00:00:00.000Z", "running"),
    owner: { pid: 1, host: "h", heartbeatAt: "2026-01-01T00:00:00.000Z", token: "t" },
  };
  assert.deepEqual(JSON.parse(recordJson(first)), first);
  // The next checkpoint of the same run: a new record around the same spec object.
  const next = {
    ...first,
    status: "completed" as const,
    result: { answer: '42 "quoted"', stopReason: "answered" as const },
    usage: { ...first.usage, steps: 3 },
  };
  assert.deepEqual(JSON.parse(recordJson(next)), next);
  const other = { ...record("run_other", "2026-01-01T00:00:00.000Z"), spec: { ...first.spec, input: "another question" } };
  assert.equal(JSON.parse(recordJson(other)).spec.input, "another question");
});
