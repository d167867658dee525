import { test } from "node:test";
import assert from "node:assert/strict";
import { sharedPrefixLength } from "../../../src/models/local/kept-sequences.js";
import { localSamplingSettings } from "../../../src/models/local/model-cache.js";

test("the local sampling settings are read from the environment, and invalid ones are left to the client", () => {
  assert.deepEqual(localSamplingSettings({ PONDER_LOCAL_TEMPERATURE: "0", PONDER_LOCAL_SEED: "7", PONDER_LOCAL_MAX_OUTPUT_TOKENS: "64" }), {
    temperature: 0,
    seed: 7,
    maxOutputTokens: 64,
  });
  assert.deepEqual(
    localSamplingSettings({ PONDER_LOCAL_TEMPERATURE: "-1", PONDER_LOCAL_SEED: "1.5", PONDER_LOCAL_MAX_OUTPUT_TOKENS: "0" }),
    { temperature: undefined, seed: undefined, maxOutputTokens: undefined },
  );
  assert.deepEqual(localSamplingSettings({ PONDER_LOCAL_TEMPERATURE: "" }), {
    temperature: undefined,
    seed: undefined,
    maxOutputTokens: undefined,
  });
});

test("the reused prefix is the tokens two prompts share from their start", () => {
  assert.equal(sharedPrefixLength([1, 2, 3, 4], [1, 2, 3, 9, 4]), 3);
  assert.equal(sharedPrefixLength([], [1, 2]), 0);
  assert.equal(sharedPrefixLength([1, 2], [1, 2, 3]), 2);
  assert.equal(sharedPrefixLength([5], [1]), 0);
});
