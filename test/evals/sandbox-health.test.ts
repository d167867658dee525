import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync } from "node:fs";
import { runWorkspaceOf } from "../../src/config/ponder-home.js";
import { configGrid } from "../../src/evals/eval-config.js";
import { runEval } from "../../src/evals/eval-runner.js";
import { jsonl, questionOf, withEvalServer } from "./eval-server.js";

test("a model that breaks its own sandbox makes the sample an infrastructure error, retried in a fresh run (real bubblewrap)", async () => {
  const seen = new Map<string, number>();
  const handler = (body: Record<string, unknown>) => {
    const question = questionOf(body) ?? "";
    const count = seen.get(question) ?? 0;
    seen.set(question, count + 1);
    if (count > 0) return { text: "Final answer: 42" };
    // Both end their kernel (a tool_error: the code cannot SIGKILL it, see sandbox-seccomp.ts, so it
    // exits); only "breaks" also leaves the workspace unwritable.
    const code = question === "breaks" ? "import os\nos.chmod('/workspace', 0o500)\nos._exit(9)" : "import os\nos._exit(9)";
    return { toolCalls: [{ name: "python", arguments: JSON.stringify({ code }) }] };
  };
  await withEvalServer(handler, async ({ env, home, store, write }) => {
    const dataset = write(
      "set.jsonl",
      jsonl([
        { id: "breaks", input: "[Q:breaks] ?", target: "42" },
        { id: "kills", input: "[Q:kills] ?", target: "42" },
      ]),
    );
    const result = await runEval({
      datasetPath: dataset,
      configs: configGrid(["openai:gpt-4o"], ["low"], [1]),
      epochs: 1,
      concurrency: 2,
      maxInfraRetries: 1,
      env,
      home,
      store,
      tools: ["python"],
    });
    const byItem = new Map(result.samples.map((sample) => [sample.itemId, sample]));
    const broken = byItem.get("breaks");
    try {
      assert.equal(broken?.retried, true);
      const firstRun = await store.listItems(broken?.retriedRunIds[0] ?? "");
      assert.ok(
        firstRun.some(({ item }) => item.type === "function_call_output" && item.error_kind === "tool_error"),
        "the kernel really died in the sandbox",
      );
      assert.equal(broken?.outcome.status, "pass");
      assert.equal(byItem.get("kills")?.retried, false, "a kernel the model killed is not a broken sandbox: the sample stands");
      assert.equal(byItem.get("kills")?.outcome.status, "pass");
    } finally {
      // Give the broken workspace back its permissions so the temporary home can be removed.
      for (const runId of broken?.retriedRunIds ?? [])
        if (existsSync(runWorkspaceOf(home, runId))) chmodSync(runWorkspaceOf(home, runId), 0o700);
    }
  });
});
