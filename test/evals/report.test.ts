import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { launchTestChromium } from "../support/test-chromium.js";
import { jsonl, questionOf, withEvalServer } from "./eval-server.js";
import { runCommand } from "./eval-cli.js";

test("ponder eval over two efforts and two sample counts: --json summary, then eval view writes an HTML report that renders in Chromium with its plots", async () => {
  // Low effort answers item A wrong half the time; high effort always right; B is always right.
  const counters = new Map<string, number>();
  const handler = (body: Record<string, unknown>) => {
    const question = questionOf(body) ?? "";
    const effort = JSON.stringify(body).includes('"high"') ? "high" : "low";
    const index = counters.get(`${question}/${effort}`) ?? 0;
    counters.set(`${question}/${effort}`, index + 1);
    const correct = question === "B" || effort === "high" || index % 2 === 0;
    return {
      text: `Working it out <b>carefully</b>.\nFinal answer: ${correct ? "42" : "41"}`,
      usage: { inputTokens: effort === "high" ? 200 : 20, outputTokens: 10 },
    };
  };
  await withEvalServer(handler, async ({ env, home, write }) => {
    const dataset = write(
      "set.jsonl",
      jsonl([
        { id: "A", input: "[Q:A] What is 6 × 7?", target: "42", tags: ["math"] },
        { id: "B", input: "[Q:B] 40 + 2 <script>alert(1)</script>", target: "42" },
      ]),
    );
    const ran = await runCommand(
      "eval",
      [
        dataset,
        "--model",
        "openai:gpt-5-mini",
        "--effort",
        "low,high",
        "--samples",
        "1,2",
        "--epochs",
        "2",
        "--no-tools",
        "--json",
        "--concurrency",
        "4",
      ],
      env,
    );
    assert.equal(ran.code, 0, ran.stderr);
    const summary = JSON.parse(ran.stdout) as {
      eval_id: string;
      report: string;
      configs: { id: string; accuracy: number; scored: number; pass_at_k: Record<string, number> }[];
      comparisons: unknown[];
    };
    assert.equal(summary.configs.length, 4);
    assert.ok(summary.configs.every((config) => config.scored === 4));
    assert.equal(summary.configs.find((config) => config.id === "openai:gpt-5-mini · high")?.accuracy, 1);
    assert.equal(summary.comparisons.length, 6);
    assert.match(ran.stderr, /\[8\/16\]/);

    const viewed = await runCommand(
      "eval",
      [
        "view",
        summary.eval_id,
        "--report",
        join(home, "view.html"),
        "--png",
        join(home, "curve.png"),
        "--svg",
        join(home, "curve.svg"),
        "--axis",
        "time",
      ],
      env,
    );
    assert.equal(viewed.code, 0, viewed.stderr);
    assert.match(viewed.stdout, /pass@2/);
    const html = readFileSync(join(home, "view.html"), "utf8");
    assert.ok(!html.includes("<script>alert(1)"), "dataset text is escaped");
    assert.ok(existsSync(summary.report));
    assert.deepEqual([...readFileSync(join(home, "curve.png")).subarray(1, 4)].map((byte) => String.fromCharCode(byte)).join(""), "PNG");
    assert.match(readFileSync(join(home, "curve.svg"), "utf8"), /wall time per sample/);

    const browser = await launchTestChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`file://${join(home, "view.html")}`);
      // Tokens, cost (gpt-5-mini has a known price) and wall time.
      assert.equal(await page.locator("svg.scaling-curve").count(), 3);
      assert.match((await page.locator("svg.scaling-curve").nth(1).getAttribute("aria-label")) ?? "", /cost per sample/);
      assert.equal(await page.locator("svg.scaling-curve").first().locator("circle").count(), 4);
      assert.equal(await page.locator("svg.accuracy-bars rect").count(), 4);
      const box = await page.locator("svg.scaling-curve").first().boundingBox();
      assert.ok(box && box.width > 300 && box.height > 200);
      await page.locator("details.report-item > summary").first().click();
      await page.locator("div.sample summary").first().click();
      assert.ok(await page.locator("ol.trajectory").first().isVisible());
      const screenshot = await page.screenshot({ fullPage: true });
      assert.ok(screenshot.length > 10_000);
    } finally {
      await browser.close();
    }
  });
});

test("ponder eval explains a bad dataset with line numbers and exits non-zero", async () => {
  await withEvalServer(
    () => ({ text: "42" }),
    async ({ env, write }) => {
      const dataset = write(
        "bad.jsonl",
        `${JSON.stringify({ input: "fine", target: "1" })}\n{not json\n${JSON.stringify({ target: "no input" })}\n`,
      );
      const ran = await runCommand("eval", [dataset, "--model", "openai:gpt-5-mini"], env);
      assert.equal(ran.code, 2);
      assert.match(ran.stderr, /line 2: not valid JSON/);
      assert.match(ran.stderr, /line 3: input:/);
    },
  );
});
