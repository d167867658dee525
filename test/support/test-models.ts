// Where the real test model is: scripts/fetch-test-models.sh puts it in $PONDER_TEST_MODELS_DIR
// or ~/.cache/ponder-test-models. On a developer's machine without it, the tests that need it are
// skipped with the reason printed; in CI (CI=true) its absence fails them.

import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const smolLm2FileName = "SmolLM2-135M-Instruct.Q4_1.gguf";

export type TestModel = { path: string; skip: false } | { path: string; skip: string };

export function testModelPath(fileName: string = smolLm2FileName): TestModel {
  const directory = process.env.PONDER_TEST_MODELS_DIR ?? join(homedir(), ".cache", "ponder-test-models");
  const path = join(directory, fileName);
  if (existsSync(path)) return { path, skip: false };
  const reason = `${path} is missing: run scripts/fetch-test-models.sh`;
  if (process.env.CI === "true") throw new Error(`The real-model tests must run in CI, but ${reason}`);
  console.log(`# skipped: ${reason}`);
  return { path, skip: reason };
}
