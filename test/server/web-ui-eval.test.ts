import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launchTestChromium } from "../support/test-chromium.js";
import { configGrid } from "../../src/evals/eval-config.js";
import { runEval } from "../../src/evals/eval-runner.js";
import { startPonderServer } from "../../src/server/ponder-server.js";
import { jsonl, scriptedAnswers, withEvalServer } from "../evals/eval-server.js";

// An eval in the web UI: `ponder eval` (its runner, on the real store) with the fake model over
// real HTTP, then `ponder serve` on the same home. The eval's page shows what its samples spent
// (not the 0 steps, 0 tokens, $0 of its own run), a cell per sample, and links to its HTML report.

const shots = process.env.PONDER_UI_SHOTS ?? "/tmp/ui-shots";

test("web UI: an eval shows its samples' real totals and opens its report", async () => {
  mkdirSync(shots, { recursive: true });
  const right = { text: "Final answer: 42", usage: { inputTokens: 100, outputTokens: 20 } };
  const wrong = { text: "Final answer: 41", usage: { inputTokens: 100, outputTokens: 20 } };
  await withEvalServer(scriptedAnswers({ A: [right], B: [wrong], C: [right] }), async ({ env, home, store, write }) => {
    const dataset = write("set.jsonl", jsonl(["A", "B", "C"].map((id) => ({ id, input: `[Q:${id}] ?`, target: "42" }))));
    const result = await runEval({
      datasetPath: dataset,
      configs: configGrid(["openai:gpt-4o"], ["low"], [1]),
      env,
      home,
      store,
      tools: [],
    });
    const server = await startPonderServer({ port: 0, host: "127.0.0.1", env, cwd: home });
    const browser = await launchTestChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      page.setDefaultTimeout(30_000);
      const pageErrors: string[] = [];
      page.on("pageerror", (error) => pageErrors.push(error.message));
      // In the list, an eval shows its results, not its own run's zero spend.
      await page.goto(server.url);
      const row = page.locator(".run-list li", { hasText: "eval " });
      assert.match((await row.locator(".run-row-meta").textContent()) ?? "", /66\.7% \(2\/3/);
      await page.goto(`${server.url}/#/runs/${result.manifest.id}`);
      await page.locator(".eval .children-grid .cell").nth(2).waitFor();
      // The totals are the samples': three runs of one step, 120 tokens each.
      const usage = page.locator(".run-header .usage");
      assert.match((await usage.textContent()) ?? "", /Steps3(?!\d)/);
      assert.match((await usage.textContent()) ?? "", /Tokens in \/ out300 \/ 60/);
      assert.match((await page.locator(".eval-results").textContent()) ?? "", /66\.7% \(2\/3/);
      for (const [width, height] of [
        [1280, 800],
        [390, 844],
      ] as const) {
        await page.setViewportSize({ width, height });
        assert.ok((await page.evaluate<number>("document.documentElement.scrollWidth")) <= width, `the eval page fits ${width} px`);
        await page.screenshot({ path: join(shots, `eval-${width}.png`), fullPage: true });
      }
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByRole("link", { name: "Open the eval report" }).click();
      const frame = page.locator("iframe.eval-report-frame");
      await frame.waitFor();
      assert.equal(await frame.getAttribute("sandbox"), "", "no scripts, no access to the page");
      await page
        .frameLocator("iframe.eval-report-frame")
        .getByRole("heading", { name: `Eval ${result.manifest.id}` })
        .waitFor();
      await page.screenshot({ path: join(shots, "eval-report-1280.png") });
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
