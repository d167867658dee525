import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { launchTestChromium } from "../support/test-chromium.js";
import { research } from "../../src/strategies/research/index.js";
import { sourceIdOf } from "../../src/tools/sources.js";
import { startResearchSite } from "./research-site.js";
import { call, classify, notesTurn, planTurn } from "./research-script.js";
import { withStrategyServer } from "./strategy-server.js";

const chartCode = `import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
plt.bar(["1890", "1900"], [4817, 7200])
plt.title("Herring landed (tonnes)")
plt.savefig("chart.png")
print("saved")`;

test("the HTML report is self-contained and opens in Chromium with the writer's chart rendered", async () => {
  const site = await startResearchSite();
  try {
    const trade = site.url("/harbour/trade.html");
    const trade1900 = site.url("/harbour/trade-1900.html");
    await withStrategyServer(
      (body) => {
        const request = classify(body);
        if (request.kind === "planner") return planTurn(["How much herring was landed?"]);
        if (request.kind === "writer") {
          if (!request.text.includes("function_call_output")) return { toolCalls: [call("python", { code: chartCode })] };
          return {
            text: "# Herring\n\nLandings grew from 4,817 tonnes in 1890 [1] to 7,200 tonnes in 1900 [2].\n\n![Herring landed](chart.png)\n\n![A picture nobody made](photo.png)",
          };
        }
        if (request.kind !== "reader") return { text: "?" };
        if (request.final || request.step >= 2) {
          return notesTurn([
            { claim: "4,817 tonnes in 1890.", source_id: sourceIdOf(trade), quote: "In 1890 the harbour handled 4,817 tonnes of herring" },
            {
              claim: "7,200 tonnes in 1900.",
              source_id: sourceIdOf(trade1900),
              quote: "By 1900 the harbour handled 7,200 tonnes of herring",
            },
          ]);
        }
        return { toolCalls: [call("read_page", { url: trade }), call("read_page", { url: trade1900 })] };
      },
      async ({ env, home, store }) => {
        const result = await research("How much herring did the harbour land?", {
          model: "openai:gpt-4o",
          home,
          store,
          sources: "web",
          env: { ...env, PONDER_SEARCH_BACKEND: "searxng", SEARXNG_URL: site.url("") },
        });
        assert.equal(result.status, "completed");
        assert.match(result.report, /!\[Herring landed\]\(chart\.png\)/);
        assert.ok(!result.report.includes("photo.png"));
        const html = await readFile(result.htmlPath, "utf8");
        assert.match(html, /<img alt="Herring landed" src="data:image\/png;base64,/);
        assert.ok(!/src="(?!data:)/.test(html), "no image is loaded from outside the file");
        const artifacts = (await store.listItems(result.runId)).flatMap(({ item }) => (item.type === "artifact" ? [item.name] : []));
        assert.deepEqual(artifacts.sort(), ["chart.png", "report.html", "report.md"]);

        const browser = await launchTestChromium();
        try {
          const page = await browser.newPage();
          await page.goto(`file://${result.htmlPath}`);
          const images = await page.$$eval("img", (elements) =>
            elements.map((image) => ({ complete: image.complete, width: image.naturalWidth })),
          );
          assert.equal(images.length, 1);
          assert.ok(images[0]?.complete && (images[0]?.width ?? 0) > 0, JSON.stringify(images));
          assert.equal(await page.title(), "What is the history of the harbour?");
          assert.match(await page.locator("h2").last().innerText(), /Sources/);
        } finally {
          await browser.close();
        }
      },
    );
  } finally {
    await site.close();
  }
});
