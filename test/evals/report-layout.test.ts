import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { launchTestChromium } from "../support/test-chromium.js";
import { startFakeOpenAIServer } from "../support/fake-openai-server.js";
import { runCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";

test("the eval report fits the screen at 1280 and 390 px, and a model without a price shows its cost as unknown, never $0", async () => {
  const server = await startFakeOpenAIServer(() => ({ text: "Final answer: 4" }));
  const home = temporaryHome();
  try {
    const dataset = join(home.path, "items.jsonl");
    writeFileSync(
      dataset,
      [1, 2]
        .map((index) => JSON.stringify({ id: `an-item-with-a-rather-long-identifier-${index}`, input: "What is 2 + 2?", target: "4" }))
        .join("\n"),
    );
    const env = {
      PONDER_HOME: home.path,
      OPENAI_API_KEY: "k",
      OPENAI_BASE_URL: server.baseURL,
      PONDER_COMPAT_BASE_URL: server.baseURL,
    };
    const models = "openai:gpt-4o,compat:a-local-model-without-a-price";
    const result = await runCli(["eval", dataset, "--model", models, "--samples", "1,3", "--effort", "low,high", "--json"], env);
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout);
    const costs = new Map<string, number | null>(
      summary.configs.map((config: { id: string; mean_cost_usd: number | null }) => [config.id, config.mean_cost_usd]),
    );
    for (const [id, cost] of costs) {
      if (id.startsWith("compat:")) assert.equal(cost, null, `${id}: unknown, not 0`);
      else assert.ok(typeof cost === "number" && cost > 0, `${id}: a known price`);
    }
    const browser = await launchTestChromium();
    try {
      for (const width of [1280, 390]) {
        const page = await browser.newPage({ viewport: { width, height: 800 } });
        await page.goto(`file://${summary.report}`);
        assert.equal(await page.evaluate("document.documentElement.scrollWidth"), width, `no sideways scrolling at ${width} px`);
        const cells = await page.locator("table").first().locator("tr", { hasText: "compat:" }).allTextContents();
        assert.ok(cells.length > 0 && cells.every((row) => row.includes("unknown") && !row.includes("$0.0000")), cells.join("\n"));
        await page.close();
      }
    } finally {
      await browser.close();
    }
  } finally {
    await server.close();
    home.remove();
  }
});
