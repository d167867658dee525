import { test } from "node:test";
import assert from "node:assert/strict";
import { research } from "../../src/strategies/research/index.js";
import { looksCutOff, trimToSentence, trimmedNotice } from "../../src/strategies/research/complete-text.js";
import { sourceIdOf } from "../../src/tools/sources.js";
import type { FakeTurn } from "../support/fake-openai-server.js";
import { startResearchSite, type ResearchSite } from "./research-site.js";
import { call, classify, notesTurn, planTurn, type ResearchRequest } from "./research-script.js";
import { withStrategyServer, type StrategyContext } from "./strategy-server.js";

const model = "openai:gpt-4o";
const question = "What is the history of the harbour?";

/** One reader that reads three pages and notes the founding dispute and the 1890 trade. */
function reader(site: ResearchSite, request: Extract<ResearchRequest, { kind: "reader" }>): FakeTurn {
  const pages = ["/harbour/history.html", "/harbour/founding-dispute.html", "/harbour/trade.html"].map((path) => site.url(path));
  if (request.step === 0) return { toolCalls: pages.map((url) => call("read_page", { url })) };
  const [history = "", dispute = "", trade = ""] = pages;
  return notesTurn([
    { claim: "The harbour was founded in 1642.", source_id: sourceIdOf(history), quote: "founded in 1642 by Dutch traders" },
    { claim: "The oldest charter is dated 1651.", source_id: sourceIdOf(dispute), quote: "the oldest surviving charter is dated 1651" },
    {
      claim: "In 1890 the harbour handled 4,817 tonnes of herring.",
      source_id: sourceIdOf(trade),
      quote: "In 1890 the harbour handled 4,817 tonnes of herring",
    },
  ]);
}

function options(site: ResearchSite, context: StrategyContext) {
  return {
    model,
    env: { ...context.env, PONDER_SEARCH_BACKEND: "searxng", SEARXNG_URL: site.url("") },
    home: context.home,
    store: context.store,
    sources: "web" as const,
    charts: false,
    breadth: 1,
    depth: 1,
    readerSteps: 3,
    length: "page" as const,
  };
}

test("the writer outlines (repairing bad JSON), writes sections in parallel, continues a cut-off section, and frames the report", async () => {
  const site = await startResearchSite();
  const arrived: string[] = [];
  let bothArrived: () => void = () => undefined;
  const barrier = new Promise<void>((resolve) => (bothArrived = resolve));
  try {
    await withStrategyServer(
      async (body) => {
        const request = classify(body);
        if (request.kind === "planner") return planTurn(["How did the harbour begin and trade?"]);
        if (request.kind === "reader") return reader(site, request);
        if (request.kind === "outline") {
          if (!request.repair) return { text: "Outline: {title: 'The harbour', sections: [" };
          return {
            text: JSON.stringify({
              title: "The harbour",
              sections: [
                { title: "Founding", notes: [1, 2] },
                { title: "Trade", notes: [3, 99] },
              ],
            }),
          };
        }
        if (request.kind === "section") {
          // Each section waits for the other: they can only both answer if they run at once (a
          // writer that wrote them one after the other would wait here until the test times out).
          arrived.push(request.text.includes("This section: Founding") ? "Founding" : "Trade");
          if (arrived.length === 2) bothArrived();
          await barrier;
          if (request.text.includes("This section: Founding"))
            return {
              text: "## Founding\n\nThe harbour was founded in 1642 [1], though its oldest charter is dated 1651 [2]. Vikings came first [7].",
            };
          return { text: "In 1890 the harbour handled 4,817 tonnes of herring [3]. Most of it was salted and" };
        }
        if (request.kind === "continue") return { text: "shipped to the Baltic [3]." };
        if (request.kind === "frame")
          return {
            text: "## Introduction\n\nThis report traces the harbour's beginnings and trade.\n\n## Conclusion\n\nThe founding date is disputed between 1642 and 1651.",
          };
        return { text: "?" };
      },
      async (context) => {
        const result = await research(question, options(site, context));
        assert.equal(result.status, "completed");
        assert.deepEqual(result.writer, { mode: "sections", continued: 1, trimmed: 0 });
        assert.deepEqual(arrived.sort(), ["Founding", "Trade"]);
        const body = result.report.slice(0, result.report.indexOf("## Sources"));
        assert.equal(
          body.trim(),
          "# The harbour\n\nThis report traces the harbour's beginnings and trade.\n\n## Founding\n\nThe harbour was founded in 1642 [1], though its oldest charter is dated 1651 [2]. Vikings came first.\n\n" +
            "## Trade\n\nIn 1890 the harbour handled 4,817 tonnes of herring [3]. Most of it was salted and shipped to the Baltic [3].\n\n## Conclusion\n\nThe founding date is disputed between 1642 and 1651.",
        );
        // The citation check ran on the assembled report: the unknown [7] is gone.
        assert.equal(result.removedFromReport, 1);
        const children = await context.store.listRuns({ parentId: result.runId });
        assert.equal(children.filter((child) => child.spec.metadata?.role === "writer").length, 6);
      },
    );
  } finally {
    await site.close();
  }
});

test("without a usable outline the writer writes in one pass, and a text still cut off after one continuation is trimmed", async () => {
  const site = await startResearchSite();
  try {
    await withStrategyServer(
      (body) => {
        const request = classify(body);
        if (request.kind === "planner") return planTurn(["How did the harbour begin?"]);
        if (request.kind === "reader") return reader(site, request);
        if (request.kind === "outline") return { text: "I would rather not outline." };
        if (request.kind === "writer") return { text: "# The harbour\n\nThe harbour was founded in 1642 [1]. It was later" };
        if (request.kind === "continue") return { text: "rebuilt by" };
        return { text: "?" };
      },
      async (context) => {
        const result = await research(question, options(site, context));
        assert.deepEqual(result.writer, { mode: "single", continued: 1, trimmed: 1 });
        assert.ok(
          result.report.startsWith(`# The harbour\n\nThe harbour was founded in 1642 [1].\n\n${trimmedNotice}\n\n## Sources`),
          result.report,
        );
        const children = await context.store.listRuns({ parentId: result.runId });
        assert.equal(children.filter((child) => child.spec.metadata?.role === "writer").length, 4);
      },
    );
  } finally {
    await site.close();
  }
});

test("a text is cut off when it stops mid-sentence, and trimming keeps whole sentences", () => {
  assert.equal(looksCutOff("It was founded in 1642 [1]."), false);
  assert.equal(looksCutOff("It was founded [1]"), false);
  assert.equal(looksCutOff("| 1890 | 4,817 |"), false);
  assert.equal(looksCutOff("It was founded in"), true);
  assert.equal(trimToSentence('He said "it is old." Then the'), `He said "it is old."\n\n${trimmedNotice}`);
  assert.equal(trimToSentence("No sentence ends"), trimmedNotice);
});
