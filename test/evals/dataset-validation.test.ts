import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeOpenAIServer } from "../support/fake-openai-server.js";
import { runCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";

async function withEvalPlace(body: (env: Record<string, string>, home: string, modelCalls: () => number) => Promise<void>): Promise<void> {
  const server = await startFakeOpenAIServer(() => ({ text: "4" }));
  const home = temporaryHome();
  try {
    await body(
      { PONDER_HOME: home.path, OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL, PONDER_MODEL: "openai:gpt-4o" },
      home.path,
      () => server.requests.length,
    );
  } finally {
    await server.close();
    home.remove();
  }
}

async function storedRuns(env: Record<string, string>): Promise<unknown[]> {
  return JSON.parse((await runCli(["runs", "--json"], env)).stdout);
}

test("a missing dataset file is a clear error, exit 2, and nothing is stored", () =>
  withEvalPlace(async (env, home) => {
    const result = await runCli(["eval", join(home, "nope.jsonl")], env);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^ponder: The dataset .*nope\.jsonl does not exist\.\nGive a JSONL or CSV file/);
    assert.doesNotMatch(result.stderr, /unexpected|ENOENT/);
    assert.deepEqual(await storedRuns(env), []);
  }));

test("the dataset is validated whole before anything runs: every bad line, missing file and wrong type, with its line number", () =>
  withEvalPlace(async (env, home, modelCalls) => {
    writeFileSync(join(home, "present.csv"), "a,b\n1,2\n");
    const dataset = join(home, "items.jsonl");
    writeFileSync(
      dataset,
      [
        JSON.stringify({ input: "What is 2 + 2?", target: "4", files: ["present.csv"] }),
        "{not json",
        JSON.stringify({ input: 5, target: "4" }),
        JSON.stringify({ target: "4" }),
        JSON.stringify({ input: "Read it.", files: ["missing.csv"], images: ["gone.png"] }),
        JSON.stringify({ input: "Fine.", tags: { not: "a list" } }),
      ].join("\n"),
    );
    const result = await runCli(["eval", dataset], env);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /items\.jsonl: 6 problems, nothing was run:/);
    assert.match(result.stderr, /line 2: not valid JSON/);
    assert.match(result.stderr, /line 3: .*input.*must be text/);
    assert.match(result.stderr, /line 4: .*input.*required/);
    assert.match(result.stderr, /line 5: the file .*missing\.csv does not exist/);
    assert.match(result.stderr, /line 5: the file .*gone\.png does not exist/);
    assert.match(result.stderr, /line 6: .*tags/);
    assert.doesNotMatch(result.stderr, /line 1:/, "the good line is not reported");
    assert.equal(modelCalls(), 0, "no sample ran");
    assert.deepEqual(await storedRuns(env), [], "no phantom eval run");
  }));

test("an eval whose scorer cannot be made stores nothing: no interrupted parent run", () =>
  withEvalPlace(async (env, home, modelCalls) => {
    const dataset = join(home, "items.jsonl");
    writeFileSync(dataset, `${JSON.stringify({ input: "What is 2 + 2?", target: "4" })}\n`);
    const result = await runCli(["eval", dataset, "--scorer", "nonsense"], env);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /--scorer nonsense: unknown scorer/);
    assert.equal(modelCalls(), 0);
    assert.deepEqual(await storedRuns(env), []);
  }));
