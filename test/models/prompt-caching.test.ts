// Prompt caching end to end: `ponder ask` against a fake Anthropic server that keeps a prompt
// cache the way Anthropic documents it (cached tokens only where breakpoints allow a reuse), and
// against fake OpenAI servers (Responses and Chat Completions) that record prompt_cache_key.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startFakeOpenAIServer, type FakeTurn, type RequestBody } from "../support/fake-openai-server.js";
import { FakePromptCache, prefixBlocks, type PromptCacheUsage } from "../support/fake-prompt-cache.js";
import { runCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";

const plan = (done: number) =>
  JSON.stringify({
    plan: ["Gather", "Compare", "Conclude"].map((step, index) => ({
      step,
      status: index < done ? "completed" : index === done ? "in_progress" : "pending",
    })),
  });

/** Tool results already in a Messages request. */
function messagesToolResults(body: RequestBody): number {
  return (body.messages as { content: unknown }[]).flatMap((message) =>
    Array.isArray(message.content) ? (message.content as { type: string }[]).filter((block) => block.type === "tool_result") : [],
  ).length;
}

/** Indexes of the messages that carry a breakpoint on their last block. */
function markedMessages(body: RequestBody): number[] {
  return (body.messages as { content: { cache_control?: unknown }[] }[]).flatMap((message, index) =>
    Array.isArray(message.content) && message.content.at(-1)?.cache_control !== undefined ? [index] : [],
  );
}

test("Anthropic: breakpoints on the instructions, the previous request's end and this one's; each step reads the previous step's cache", async () => {
  const cache = new FakePromptCache();
  const usages: PromptCacheUsage[] = [];
  const server = await startFakeOpenAIServer((body): FakeTurn => {
    const usage = cache.use(body);
    usages.push(usage);
    const done = messagesToolResults(body);
    const tokens = {
      inputTokens: usage.inputTokens,
      cachedInputTokens: usage.cachedInputTokens,
      cacheWriteInputTokens: usage.cacheWriteInputTokens,
      outputTokens: 20,
    };
    if (done < 3) return { text: `Step ${done + 1}.`, toolCalls: [{ name: "update_plan", arguments: plan(done) }], usage: tokens };
    return { text: "All three steps are done.", usage: tokens };
  });
  const home = temporaryHome();
  const env = { PONDER_HOME: home.path, ANTHROPIC_API_KEY: "ant-key", ANTHROPIC_BASE_URL: server.baseURL };
  try {
    const result = await runCli(["ask", "--json", "--effort", "low", "--model", "anthropic:claude-sonnet-4-5", "Plan and finish."], env);
    assert.equal(result.code, 0, result.stderr);
    const run = JSON.parse(result.stdout);
    assert.equal(run.answer, "All three steps are done.");
    assert.equal(server.requests.length, 4);

    const bodies = server.requests.map((request) => request.body);
    for (const body of bodies) {
      assert.deepEqual(body.system.at(-1).cache_control, { type: "ephemeral" }, "the instructions end the stable prefix");
      assert.ok(prefixBlocks(body).filter((block) => block.cache_control !== undefined).length <= 3, "within Anthropic's limit of 4");
      assert.equal(markedMessages(body).at(-1), body.messages.length - 1, "the request's end is marked, to be read by the next step");
    }
    // The marks move with the conversation: the previous request's last message stays marked.
    for (let step = 1; step < bodies.length; step++) {
      const previousEnd = (bodies[step - 1]?.messages.length as number) - 1;
      assert.deepEqual(markedMessages(bodies[step] ?? {}), [previousEnd, (bodies[step]?.messages.length as number) - 1]);
    }
    assert.equal(usages[0]?.cachedInputTokens, 0);
    for (let step = 1; step < usages.length; step++) {
      assert.equal(usages[step]?.cachedInputTokens, usages[step - 1]?.inputTokens, `step ${step + 1} reads all of step ${step}'s prompt`);
    }

    const cached = usages.reduce((sum, usage) => sum + usage.cachedInputTokens, 0);
    const input = usages.reduce((sum, usage) => sum + usage.inputTokens, 0);
    assert.equal(run.usage.cachedInputTokens, cached);
    assert.equal(run.usage.inputTokens, input);
    const written = usages.reduce((sum, usage) => sum + usage.cacheWriteInputTokens, 0);
    // Each request's end is marked, so all it did not read from the cache is written for the next.
    assert.equal(written, input - cached);
    // claude-sonnet-4-5: $3 per million input, $0.30 read from the cache, $3.75 written to it, $15 output.
    const expectedCost = ((input - cached - written) * 3 + cached * 0.3 + written * 3.75 + 4 * 20 * 15) / 1_000_000;
    assert.ok(Math.abs(run.usage.costUsd - expectedCost) < 1e-9, `${run.usage.costUsd} vs ${expectedCost}`);
    assert.deepEqual(
      run.steps.map((step: { cachedInputTokens: number }) => step.cachedInputTokens),
      usages.map((usage) => usage.cachedInputTokens),
    );

    const listed = JSON.parse((await runCli(["runs", "--json"], env)).stdout)[0];
    assert.ok(Math.abs(listed.cached_input_share - cached / input) < 1e-9);
    const shown = await runCli(["show", run.id], env);
    assert.match(shown.stdout, new RegExp(`· ${Math.round((cached / input) * 100)}% of input cached`));
  } finally {
    await server.close();
    home.remove();
  }
});

for (const api of ["responses", "chat"] as const) {
  test(`OpenAI ${api}: every step and every follow-up turn of a conversation sends one prompt_cache_key`, async () => {
    const server = await startFakeOpenAIServer((body): FakeTurn => {
      const entries = (body.input ?? body.messages) as { type?: string; role?: string }[];
      const results = entries.filter((entry) => entry.type === "function_call_output" || entry.role === "tool").length;
      const users = entries.filter((entry) => entry.role === "user").length;
      if (results < users) return { toolCalls: [{ name: "update_plan", arguments: plan(0) }] };
      return { text: `Answer ${users}.` };
    });
    const home = temporaryHome();
    const env = { PONDER_HOME: home.path, OPENAI_API_KEY: "key", OPENAI_BASE_URL: server.baseURL, PONDER_OPENAI_API: api };
    try {
      const first = await runCli(["ask", "--json", "--effort", "low", "--model", "openai:gpt-5-mini", "First question"], env);
      assert.equal(first.code, 0, first.stderr);
      const firstRun = JSON.parse(first.stdout);
      const second = await runCli(["ask", "--json", "--effort", "low", "--continue", firstRun.id, "Second question"], env);
      assert.equal(second.code, 0, second.stderr);
      const other = await runCli(["ask", "--json", "--effort", "low", "--model", "openai:gpt-5-mini", "Unrelated"], env);
      assert.equal(other.code, 0, other.stderr);

      const keys = server.requests.map((request) => request.body.prompt_cache_key);
      const firstConversation = keys.slice(0, keys.length - 2);
      assert.ok(firstConversation.length >= 4, "two steps per turn at least");
      assert.deepEqual(firstConversation, Array(firstConversation.length).fill(firstRun.id), "both turns' steps: the conversation's id");
      assert.deepEqual(keys.slice(-2), Array(2).fill(JSON.parse(other.stdout).id), "another conversation, another key");
    } finally {
      await server.close();
      home.remove();
    }
  });
}
