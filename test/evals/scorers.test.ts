import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadDataset, type DatasetItem } from "../../src/evals/dataset.js";
import { scorerFromSpec, type ScorerContext } from "../../src/evals/scorers/scorer-spec.js";
import type { Scorer } from "../../src/evals/scorers/scorer.js";
import { defaultSandboxSettings } from "../../src/tools/tool.js";
import { withEvalServer } from "./eval-server.js";

const signal = new AbortController().signal;

function item(target: string | string[] | undefined, metadata: Record<string, unknown> = {}): DatasetItem {
  return { id: "x", input: "What is it?", ...(target === undefined ? {} : { target }), files: [], images: [], tags: [], metadata };
}

async function passes(scorer: Scorer, target: string | string[], response: string, answer = response): Promise<boolean> {
  return (await scorer.score({ item: item(target), response, answer, signal })).passed;
}

function context(root: string, environment: ScorerContext["environment"] = {}): ScorerContext {
  return { environment, sandbox: defaultSandboxSettings, workspaceRoot: root };
}

test("text scorers: exact, normalised, numeric with tolerance, regex, includes; any of several targets passes", async () => {
  const root = mkdtempSync(join(tmpdir(), "ponder-scorers-"));
  try {
    const scorer = (spec: string) => scorerFromSpec(spec, context(root));
    assert.equal(await passes(await scorer("exact"), "Paris", "Paris"), true);
    assert.equal(await passes(await scorer("exact"), "Paris", "paris"), false);
    assert.equal(await passes(await scorer("normalised"), "1234", "1,234 km"), true);
    assert.equal(await passes(await scorer("normalised"), ["Lyon", "Paris"], "**Paris**."), true);
    assert.equal(await passes(await scorer("numeric:0.01"), "3.14159", "3.14"), true);
    assert.equal(await passes(await scorer("numeric:0.001"), "3.14159", "3.14"), false);
    assert.equal(await passes(await scorer("numeric:1%"), "200", "$201.5"), true);
    assert.equal(await passes(await scorer("numeric"), "12", "twelve"), false);
    assert.equal(await passes(await scorer("regex"), "^the answer is \\d+", "The answer is 17", "17"), true);
    assert.equal(await passes(await scorer("includes"), "mount   everest", "It is Mount Everest, 8,849 m.", "8849"), true);
    await assert.rejects(scorerFromSpec("nope", context(root)), /unknown scorer/);
    await assert.rejects(scorerFromSpec("numeric:abc", context(root)), /tolerance/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("a custom scorer module and Python tests run in the real sandbox", async () => {
  const root = mkdtempSync(join(tmpdir(), "ponder-scorers-"));
  try {
    const modulePath = join(root, "even.mjs");
    writeFileSync(modulePath, "export default ({ answer }) => Number(answer) % 2 === 0;\n");
    const custom = await scorerFromSpec(`module:${modulePath}`, context(root));
    assert.equal(await passes(custom, "any", "4"), true);
    assert.equal(await passes(custom, "any", "5"), false);

    const python = await scorerFromSpec("python-tests", context(root));
    const tests = "from solution import square\nassert square(3) == 9\nassert square(-2) == 4\n";
    const good = await python.score({
      item: item(tests),
      response: "Here:\n```python\ndef square(x):\n    return x * x\n```",
      answer: "",
      signal,
    });
    assert.deepEqual(good, { passed: true, reason: "the tests passed" });
    const bad = await python.score({ item: item(tests), response: "```python\ndef square(x):\n    return x + x\n```", answer: "", signal });
    assert.equal(bad.passed, false);
    assert.match(bad.reason ?? "", /AssertionError/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("the model grader is a run of the configured grader model that reads the rubric and ends with a grade", async () => {
  await withEvalServer(
    (body) => {
      const text = JSON.stringify(body);
      assert.ok(text.includes("<rubric>") && text.includes("mentions photosynthesis"));
      return { text: text.includes("chlorophyll") ? "It mentions it.\nGRADE: PASS" : "It does not.\nGRADE: FAIL" };
    },
    async ({ env, home, store }) => {
      const grader = await scorerFromSpec("model:openai:gpt-4o", {
        ...context(home, { env, home, store }),
        rubric: "The answer mentions photosynthesis.",
      });
      const good = await grader.score({ item: item(undefined), response: "Plants use chlorophyll.", answer: "", signal });
      assert.equal(good.passed, true);
      assert.match(good.reason ?? "", /grader run_/);
      assert.equal((await grader.score({ item: item(undefined), response: "Plants are green.", answer: "", signal })).passed, false);
      const graders = (await store.listRuns()).filter((run) => run.spec.metadata?.eval_role === "grader");
      assert.equal(graders.length, 2);
      assert.ok(graders.every((run) => run.spec.model === "openai:gpt-4o" && run.spec.tools.length === 0));
    },
  );
});

test("CSV datasets: quoted fields, tags, metadata columns, attachments relative to the file, and line-numbered errors", async () => {
  const root = mkdtempSync(join(tmpdir(), "ponder-dataset-"));
  try {
    const path = join(root, "set.csv");
    writeFileSync(
      path,
      'id,input,target,tags,files,difficulty\nq1,"Say ""hi"", then\ncount to 3",hi,greeting;easy,data.csv,1\nq2,Second,2,,,3\n',
    );
    writeFileSync(join(root, "data.csv"), "x,y\n1,2\n");
    const dataset = await loadDataset(path);
    assert.equal(dataset.items.length, 2);
    assert.deepEqual(dataset.items[0], {
      id: "q1",
      input: 'Say "hi", then\ncount to 3',
      target: "hi",
      files: [join(root, "data.csv")],
      images: [],
      tags: ["greeting", "easy"],
      metadata: { difficulty: "1" },
    });
    writeFileSync(path, "input,target\nok,1\n,2\nthree,3,extra\n");
    await assert.rejects(
      loadDataset(path),
      (error: Error) => /line 3: input: required/.test(error.message) && /line 4: 3 columns, the header has 2/.test(error.message),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
