// What Anthropic prompt caching saves on a long run: 30 steps, each a tool call whose output is
// 2 KB, against the fake Messages server keeping a prompt cache as Anthropic documents it
// (test/support/fake-prompt-cache.ts: a cached prefix is read only up to a breakpoint of an
// earlier request). The figures: the share of input tokens read from the cache, and the run's
// cost (reads at 0.1x, writes at 1.25x input) against the same run's tokens all priced as fresh
// input, which is what the run costs without breakpoints (claude-sonnet-4-5's prices).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { startRun } from "../src/library/start-run.js";
import { costOf } from "../src/models/prices.js";
import { SqliteRunStore } from "../src/store/sqlite-run-store.js";
import { defineTool } from "../src/tools/tool.js";
import { startFakeOpenAIServer } from "../test/support/fake-openai-server.js";
import { FakePromptCache } from "../test/support/fake-prompt-cache.js";
import { recordRatio } from "./ratio-summary.js";

const steps = 30;
const model = "anthropic:claude-sonnet-4-5";

const fetchRecord = defineTool({
  name: "fetch_record",
  description: "Returns one record of the archive.",
  parameters: z.object({ index: z.number().int() }),
  effects: "none",
  run: async ({ index }) => ({ content: `Record ${index}: ${"lorem ipsum dolor sit amet ".repeat(76)}` }),
});

export async function benchPromptCache(): Promise<void> {
  const cache = new FakePromptCache();
  const server = await startFakeOpenAIServer((body) => {
    const usage = cache.use(body);
    const done = JSON.stringify(body.messages).match(/"type":"tool_result"/g)?.length ?? 0;
    const tokens = {
      inputTokens: usage.inputTokens,
      cachedInputTokens: usage.cachedInputTokens,
      cacheWriteInputTokens: usage.cacheWriteInputTokens,
      outputTokens: 30,
    };
    return done < steps
      ? { toolCalls: [{ name: "fetch_record", arguments: JSON.stringify({ index: done }) }], usage: tokens }
      : { text: "All records read.", usage: tokens };
  });
  const home = mkdtempSync(join(tmpdir(), "ponder-bench-prompt-cache-"));
  const store = new SqliteRunStore(join(home, "ponder.db"));
  try {
    const handle = await startRun("Read every record of the archive.", {
      model,
      effort: "low",
      tools: [fetchRecord],
      store,
      home,
      budget: { maxSteps: steps + 5, maxToolCalls: steps + 5, maxTotalTokens: 10_000_000, maxCostUsd: 100 },
      env: { ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: server.baseURL },
    });
    const record = await handle.result;
    if (record.status !== "completed") throw new Error(`the run ${record.status}: ${record.error?.message}`);
    const { inputTokens, cachedInputTokens, outputTokens, costUsd } = record.usage;
    const uncached = costOf(model, { inputTokens, outputTokens, reasoningTokens: 0, cachedInputTokens: 0 }).costUsd;
    const share = cachedInputTokens / inputTokens;
    console.log(
      `prompt cache: ${record.usage.steps} steps, ${inputTokens} input tokens, ${cachedInputTokens} read from the cache (${(share * 100).toFixed(1)}%)`,
    );
    console.log(
      `prompt cache: cost $${costUsd.toFixed(4)} with caching, $${uncached.toFixed(4)} with every input token fresh (${(costUsd / uncached).toFixed(2)}x)`,
    );
    recordRatio("prompt cache: run cost with Anthropic caching / all input fresh (30 steps)", costUsd / uncached, "≤ 0.35×");
  } finally {
    await store.close();
    await server.close();
    rmSync(home, { recursive: true, force: true });
  }
}
