import { test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { defineTool } from "../../src/tools/tool.js";
import { configGrid } from "../../src/evals/eval-config.js";
import { runEval } from "../../src/evals/eval-runner.js";
import type { RichTrajectory } from "../../src/evals/export/rich-format.js";
import type { ChatExample } from "../../src/evals/export/openai-chat-format.js";
import { jsonl, questionOf, withEvalServer } from "./eval-server.js";
import { runCommand } from "./eval-cli.js";

test("ponder export of an eval: openai-chat lines with tool calls and schemas, rich lines with rewards and masked infra runs", async () => {
  let calls = 0;
  const lookup = defineTool({
    name: "lookup",
    description: "Looks a value up.",
    parameters: z.object({ key: z.string() }),
    effects: "none",
    async run() {
      if (calls++ === 0) throw new Error("the sandbox process died");
      return { content: "value 42" };
    },
  });
  const handler = (body: Record<string, unknown>) => {
    const text = JSON.stringify(body);
    if (questionOf(body) === "wrong") return { text: "Final answer: 7" };
    return text.includes("value 42") || text.includes("unavailable right now")
      ? { text: "Final answer: 42" }
      : { toolCalls: [{ name: "lookup", arguments: '{"key":"answer"}' }] };
  };
  await withEvalServer(handler, async ({ env, home, store, write }) => {
    const dataset = write(
      "set.jsonl",
      jsonl([
        { id: "tool", input: "[Q:tool] Look it up.", target: "42" },
        { id: "wrong", input: "[Q:wrong] Guess.", target: "42" },
      ]),
    );
    const result = await runEval({
      datasetPath: dataset,
      configs: configGrid(["openai:gpt-4o"], ["low"], [1]),
      epochs: 1,
      concurrency: 1,
      env,
      home,
      store,
      tools: [lookup],
    });
    assert.equal(result.samples.find((sample) => sample.itemId === "tool")?.retried, true);

    const rich = await runCommand("export", [result.manifest.id, "--format", "rich"], env);
    assert.equal(rich.code, 0, rich.stderr);
    const lines = rich.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as RichTrajectory);
    assert.equal(lines.length, 3);
    const replaced = lines.find((line) => line.item_id === "tool" && line.masked);
    assert.ok(replaced);
    assert.equal(replaced.reward, null);
    assert.equal(replaced.error_kind, "infra");
    assert.ok(
      replaced.steps.some(
        (step) => step.masked && step.items.some((item) => item.type === "function_call_output" && item.error_kind === "infra_error"),
      ),
    );
    const passed = lines.find((line) => line.item_id === "tool" && !line.masked);
    assert.equal(passed?.reward, 1);
    assert.equal(passed?.outcome, "pass");
    assert.ok(passed?.steps.every((step) => !step.masked));
    assert.ok(passed?.steps.some((step) => step.usage && step.usage.inputTokens > 0));
    assert.equal(lines.find((line) => line.item_id === "wrong")?.reward, 0);

    const chat = await runCommand("export", [result.manifest.id, "--format", "openai-chat"], env);
    assert.equal(chat.code, 0, chat.stderr);
    const examples = chat.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as ChatExample);
    assert.equal(examples.length, 2, "the infra-failed run is left out");
    const withTool = examples.find((example) => example.messages.some((message) => message.role === "tool"));
    assert.ok(withTool);
    assert.deepEqual(
      withTool.messages.map((message) => message.role),
      ["system", "user", "assistant", "tool", "assistant"],
    );
    const call = withTool.messages[2];
    assert.ok(call?.role === "assistant" && call.tool_calls?.[0]?.function.name === "lookup");
    const output = withTool.messages[3];
    assert.ok(output?.role === "tool" && output.tool_call_id === call.tool_calls?.[0]?.id && output.content === "value 42");
    assert.deepEqual(
      withTool.tools?.map((tool) => tool.function.name),
      ["lookup"],
    );

    const onlyPassed = await runCommand("export", [result.manifest.id, "--format", "openai-chat", "--only-passed"], env);
    assert.equal(onlyPassed.stdout.trim().split("\n").length, 1);
    const single = await runCommand("export", [passed?.run_id ?? "", "--format", "rich"], env);
    assert.equal((JSON.parse(single.stdout) as RichTrajectory).outcome, "unscored");
  });
});
