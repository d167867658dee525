import { test } from "node:test";
import assert from "node:assert/strict";
import { research } from "../../src/strategies/research/index.js";
import { sourceIdOf } from "../../src/tools/sources.js";
import { startResearchSite } from "./research-site.js";
import { call, classify, notesTurn, planTurn } from "./research-script.js";
import { withStrategyServer } from "./strategy-server.js";

const model = "openai:gpt-4o";

test("the deadline stops readers stuck on a slow page at 85% and still yields a report from what is known", async () => {
  const site = await startResearchSite();
  const writerBodies: string[] = [];
  try {
    const trade = site.url("/harbour/trade.html");
    await withStrategyServer(
      (body) => {
        const request = classify(body);
        if (request.kind === "planner") return planTurn(["What does the slow archive say?", "How much herring was landed?"]);
        if (request.kind === "writer") {
          writerBodies.push(request.text);
          return { text: "# Herring\n\nIn 1890 the harbour handled 4,817 tonnes of herring [1]. The archive could not be read in time." };
        }
        if (request.kind !== "reader") return { text: "?" };
        if (request.subQuestion.includes("slow"))
          return request.final ? notesTurn([]) : { toolCalls: [call("read_page", { url: site.url("/slow.html") })] };
        if (request.final || request.step >= 1)
          return notesTurn([{ claim: "4,817 tonnes in 1890.", source_id: sourceIdOf(trade), quote: "handled 4,817 tonnes of herring" }]);
        return { toolCalls: [call("read_page", { url: trade })] };
      },
      async ({ env, home, store }) => {
        const result = await research("How much herring did the harbour land?", {
          model,
          home,
          store,
          sources: "web",
          charts: false,
          // Long enough for the fast reader to finish on a busy machine; the slow page never answers.
          totalBudget: { timeoutMs: 10_000 },
          ...webSearch(env, site.url("")),
        });
        assert.equal(result.status, "completed");
        assert.match(result.readersStopped ?? "", /85% of the time/);
        assert.match(writerBodies.join(""), /readers were stopped because 85% of the time was spent/);
        assert.match(result.report, /4,817 tonnes of herring \[1\]/);
        assert.match(result.report, /## Sources\n\n1\. \[Herring trade in 1890\]/);
        const readers = (await store.listRuns({ parentId: result.runId })).filter((child) => child.spec.metadata?.role === "reader");
        assert.deepEqual(readers.map((reader) => reader.status).sort(), ["cancelled", "completed"]);
      },
    );
  } finally {
    await site.close();
  }
});

test("readers stop at 85% of the token budget; a looping reader ends, and the writer still writes", async () => {
  const site = await startResearchSite();
  try {
    let writerCalls = 0;
    await withStrategyServer(
      (body) => {
        const request = classify(body);
        if (request.kind === "planner") return { ...planTurn(["What is the lighthouse?"]), usage: { inputTokens: 100, outputTokens: 0 } };
        if (request.kind === "writer") {
          writerCalls++;
          return { text: "# Lighthouse\n\nNothing verified was found.", usage: { inputTokens: 100, outputTokens: 0 } };
        }
        // Loops forever on new queries: only the budget can end it.
        if (request.kind === "reader" && !request.final)
          return { toolCalls: [call("web_search", { query: `lighthouse ${request.step}` })], usage: { inputTokens: 100, outputTokens: 0 } };
        return { ...notesTurn([]), usage: { inputTokens: 100, outputTokens: 0 } };
      },
      async ({ env, home, store }) => {
        const result = await research("When was the lighthouse built?", {
          model,
          home,
          store,
          sources: "web",
          charts: false,
          readerSteps: 50,
          depth: 1,
          totalBudget: { maxTotalTokens: 2_000 },
          ...webSearch(env, site.url("")),
        });
        // The report is written, but with no verified note it is not a completed research.
        assert.equal(result.status, "failed");
        assert.match(result.failure ?? "", /No claim could be checked against a source that was read/);
        assert.match(result.readersStopped ?? "", /85% of the token budget/);
        assert.equal(writerCalls, 1);
        assert.ok(result.usage.inputTokens + result.usage.outputTokens <= 2_000, `spent ${result.usage.inputTokens}`);
        assert.match(result.report, /# Lighthouse/);
      },
    );
  } finally {
    await site.close();
  }
});

function webSearch(env: Record<string, string>, siteUrl: string): { env: Record<string, string> } {
  return { env: { ...env, PONDER_SEARCH_BACKEND: "searxng", SEARXNG_URL: siteUrl } };
}
