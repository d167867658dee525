import { test } from "node:test";
import assert from "node:assert/strict";
import { startFakeOpenAIServer, type RequestBody } from "../support/fake-openai-server.js";
import { runCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";

const isClassification = (body: RequestBody) => JSON.stringify(body).includes("first pass of a reasoning harness");

async function withRoutedCli(
  classification: string,
  answer: string,
  body: (env: Record<string, string>, classifications: () => number) => Promise<void>,
) {
  const server = await startFakeOpenAIServer((request) => ({ text: isClassification(request) ? classification : answer }));
  const home = temporaryHome();
  try {
    await body(
      { PONDER_HOME: home.path, OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL, PONDER_MODEL: "openai:gpt-4o" },
      () => server.requests.filter((request) => isClassification(request.body)).length,
    );
  } finally {
    await server.close();
    home.remove();
  }
}

test("--effort auto routes: the decision is shown and in --json as a note; the classification runs are the answering run's children", async () => {
  await withRoutedCli('{"class": "trivial", "reason": "one multiplication"}', "42", async (env, classifications) => {
    const plain = await runCli(["ask", "--effort", "auto", "--tools", "", "What is 6 * 7?"], env);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout, "42\n");
    assert.match(plain.stderr, /effort auto: trivial → minimal\. Reason: one multiplication \(classified by run run_/);

    const json = await runCli(["ask", "--json", "--max-steps", "3", "--tools", "", "What is 6 * 7?"], { ...env, PONDER_EFFORT: "auto" });
    assert.equal(json.code, 0, json.stderr);
    const run = JSON.parse(json.stdout);
    assert.equal(run.effort, "minimal");
    assert.equal(run.budget.maxSteps, 3);
    const notes = run.items.filter((item: { type: string }) => item.type === "note").map((item: { text: string }) => item.text);
    assert.ok(
      notes.some((text: string) => /trivial → minimal\. Reason: one multiplication .*your flags replaced: maxSteps/.test(text)),
      notes.join("\n"),
    );
    assert.equal(classifications(), 2);

    const listed: { id: string; parent_id: string | null }[] = JSON.parse((await runCli(["runs", "--all", "--json"], env)).stdout);
    assert.deepEqual(
      listed.filter((listedRun) => listedRun.parent_id === null).map((listedRun) => listedRun.id),
      [run.id, plain.stderr.match(/^run (run_\w+)/m)?.[1]],
      "two questions, two top-level runs: no classification run of their own",
    );
    const children = listed.filter((child) => child.parent_id === run.id);
    assert.equal(children.length, 1, "the classification run belongs to the run it served");
  });
});

test("with no effort given anywhere, there is no classification: the run takes the default effort", async () => {
  await withRoutedCli('{"class": "hard", "reason": "unused"}', "42", async (env, classifications) => {
    const result = await runCli(["ask", "--json", "--tools", "", "What is 6 * 7?"], env);
    assert.equal(JSON.parse(result.stdout).effort, "medium");
    assert.equal(classifications(), 0);
  });
});

test("an effort from a flag or PONDER_EFFORT is the user's: no classification", async () => {
  await withRoutedCli('{"class": "hard", "reason": "unused"}', "42", async (env, classifications) => {
    const flagged = await runCli(["ask", "--effort", "low", "--json", "--tools", "", "What is 6 * 7?"], env);
    assert.equal(JSON.parse(flagged.stdout).effort, "low");
    const fromEnvironment = await runCli(["ask", "--json", "--tools", "", "What is 6 * 7?"], { ...env, PONDER_EFFORT: "high" });
    assert.equal(JSON.parse(fromEnvironment.stdout).effort, "high");
    assert.equal(classifications(), 0);
  });
});

test("a hard question is sampled and voted on from the command line", async () => {
  await withRoutedCli('{"class": "hard", "reason": "easy to get wrong"}', "Final answer: 42", async (env) => {
    const result = await runCli(["ask", "--effort", "auto", "--json", "--tools", "", "What is 6 * 7, exactly?"], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /hard → high, 3 samples \(vote\)/);
    const parsed = JSON.parse(result.stdout);
    assert.equal(parsed.children.length, 3);
    assert.equal(parsed.answer, "Final answer: 42");
    const listed: { id: string; parent_id: string | null }[] = JSON.parse((await runCli(["runs", "--all", "--json"], env)).stdout);
    assert.deepEqual(
      listed.filter((run) => run.parent_id === null).map((run) => run.id),
      [parsed.runId],
      "one top-level run: the classification belongs to the best-of parent",
    );
  });
});

test("ponder ask --team: the rounds on stderr, the approved answer on stdout", async () => {
  const server = await startFakeOpenAIServer((request) => {
    const text = JSON.stringify(request);
    if (!text.includes("<solver_answer")) return { text: text.includes("<critique>") ? "Final answer: 42" : "Final answer: 41" };
    return {
      // The solver's answer, not any "41" in the request (a run id in prompt_cache_key may hold one).
      text: text.includes("Final answer: 41")
        ? '{"verdict": "revise", "reasons": ["6 * 7 is not 41"]}'
        : '{"verdict": "approve", "reasons": []}',
    };
  });
  const home = temporaryHome();
  try {
    const env = { PONDER_HOME: home.path, OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL, PONDER_MODEL: "openai:gpt-4o" };
    const plain = await runCli(["ask", "--team", "--tools", "", "What is 6 * 7?"], env);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout, "Final answer: 42\n");
    assert.match(plain.stderr, /round 1 · solver “Final answer: 41” · critic revise\n\s+- 6 \* 7 is not 41/);
    assert.match(plain.stderr, /round 2 · solver “Final answer: 42” · critic approved/);
    assert.match(plain.stderr, /approved by the critic/);
    const json = JSON.parse((await runCli(["ask", "--team", "--json", "--tools", "", "What is 6 * 7?"], env)).stdout);
    assert.equal(json.approved, true);
    assert.equal(json.rounds.length, 2);
    const bad = await runCli(["ask", "--team", "--samples", "3", "What is 6 * 7?"], env);
    assert.equal(bad.code, 2);
  } finally {
    await server.close();
    home.remove();
  }
});
