import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeBuiltinDataset } from "../../src/evals/builtin/builtin-dataset.js";
import { builtinCanary } from "../../src/evals/builtin/builtin-files.js";
import { checkContamination, verbatimOverlap } from "../../src/evals/contamination.js";
import { loadDataset } from "../../src/evals/dataset.js";
import { configGrid } from "../../src/evals/eval-config.js";
import { runEval } from "../../src/evals/eval-runner.js";
import { jsonl, withEvalServer } from "./eval-server.js";
import { runCommand } from "./eval-cli.js";

const leakyText =
  "The quarterly ledger of the Harrow Deep cooperative recorded eleven hundred crates of kelp flour shipped north before the ice closed the channel";

test("verbatim overlap counts the held-out words reproduced in order from the start", () => {
  assert.equal(verbatimOverlap("the ice closed the channel", "the ice closed the channel"), 1);
  assert.equal(verbatimOverlap("The ice, closed! a door", "the ice closed the channel"), 3 / 5);
  assert.equal(verbatimOverlap("something else", "the ice closed"), 0);
});

test("a canary-marked dataset is never sent to a model that collects training data", async () => {
  await withEvalServer(
    () => ({ text: "Final answer: 1" }),
    async ({ env, home, store, write, requests }) => {
      const dataset = write("set.jsonl", jsonl([{ canary: "CANARY-1234-abcd" }, { input: "What is 1?", target: "1" }]));
      await assert.rejects(
        runEval({
          datasetPath: dataset,
          configs: configGrid(["openai:gpt-4o"], ["low"], [1]),
          env: { ...env, PONDER_TRAINING_DATA_MODELS: "anthropic:claude-x, openai:*" },
          home,
          store,
          tools: [],
        }),
        /carries a canary and openai:gpt-4o is marked as collecting training data/,
      );
      assert.equal(requests().length, 0);
      const allowed = await runEval({
        datasetPath: dataset,
        configs: configGrid(["openai:gpt-4o"], ["low"], [1]),
        env: { ...env, PONDER_TRAINING_DATA_MODELS: "anthropic:*" },
        home,
        store,
        tools: [],
      });
      assert.equal(allowed.summary.configs[0]?.passed, 1);
    },
  );
});

test("--check-contamination flags items the model continues verbatim and a completed canary", async () => {
  const handler = (body: Record<string, unknown>) => {
    const text = JSON.stringify(body);
    if (text.includes("Complete this string")) return { text: "CANARY-1234-abcd-ef90" };
    return {
      text: text.includes("Harrow Deep cooperative")
        ? leakyText
            .split(" ")
            .slice(Math.floor(leakyText.split(" ").length / 2))
            .join(" ")
        : "I do not know this text.",
    };
  };
  await withEvalServer(handler, async ({ env, home, store, write }) => {
    const path = write(
      "set.jsonl",
      jsonl([
        { canary: "CANARY-1234-abcd-ef90" },
        { id: "leaky", input: leakyText, target: "x" },
        {
          id: "fresh",
          input: "A wholly new question about the orbital period of a moon that nobody has written about before today at all",
          target: "y",
        },
        { id: "short", input: "Too short to test.", target: "z" },
      ]),
    );
    const report = await checkContamination(await loadDataset(path), "openai:gpt-4o", { env, home, store });
    assert.deepEqual(
      report.items.map((item) => [item.id, item.leaked]),
      [
        ["leaky", true],
        ["fresh", false],
      ],
    );
    assert.equal(report.leakRate, 0.5);
    assert.equal(report.canaryLeaked, true);
    const cli = await runCommand("eval", [path, "--model", "openai:gpt-4o", "--check-contamination"], env);
    assert.equal(cli.code, 1, cli.stderr);
    assert.match(cli.stdout, /1\/2 items continued verbatim \(leaky\); the canary was completed/);
  });
});

test("ponder eval builtin: a generated, canary-marked set of tool-needing tasks that a model answering right scores 100% on", async () => {
  const directory = mkdtempSync(join(tmpdir(), "ponder-builtin-"));
  try {
    const dataset = await loadDataset(await writeBuiltinDataset(directory));
    assert.equal(dataset.items.length, 9);
    assert.equal(dataset.canary, builtinCanary);
    assert.deepEqual([...new Set(dataset.items.flatMap((item) => item.tags))].sort(), [
      "computation",
      "data-analysis",
      "image",
      "long-context",
      "reading",
    ]);
    assert.equal(dataset.items.find((item) => item.id === "seven-or-eleven")?.target, String(142857 + 90909 - 2 * 12987));
    assert.equal(dataset.items.find((item) => item.id === "page-kestrel")?.target, "8375");
    const again = await loadDataset(await writeBuiltinDataset(join(directory, "again")));
    assert.equal(again.hash, dataset.hash, "the same dataset on every machine");
    await withEvalServer(
      (body) => {
        const text = JSON.stringify(body);
        const item = dataset.items.find((candidate) => text.includes(JSON.stringify(candidate.input.slice(0, 40)).slice(1, -1)));
        return { text: `Final answer: ${String(item?.target ?? "unknown")}` };
      },
      async ({ env }) => {
        const ran = await runCommand("eval", ["builtin", "--model", "openai:gpt-4o", "--no-tools", "--json"], env);
        assert.equal(ran.code, 0, ran.stderr);
        const summary = JSON.parse(ran.stdout) as { configs: { accuracy: number; scored: number }[] };
        assert.deepEqual(
          summary.configs.map((config) => [config.accuracy, config.scored]),
          [[1, 9]],
        );
      },
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
