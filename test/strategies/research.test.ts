import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { research } from "../../src/strategies/research/index.js";
import { checkReport } from "../../src/strategies/research/report-check.js";
import type { ResearchEvent } from "../../src/strategies/research/index.js";
import { sourceIdOf } from "../../src/tools/sources.js";
import type { FakeTurn } from "../support/fake-openai-server.js";
import { startResearchSite, type ResearchSite } from "./research-site.js";
import { call, classify, notesTurn, planTurn } from "./research-script.js";
import { withStrategyServer } from "./strategy-server.js";

const model = "openai:gpt-4o";
const founding = "When was the harbour founded?";
const trade = "How much herring did the harbour handle?";
const lighthouse = "When was the lighthouse built?";
const trade1900 = "How much herring did the harbour handle in 1900?";

function script(site: ResearchSite, writerBodies: string[]): (body: Record<string, unknown>) => FakeTurn {
  const history = site.url("/harbour/history.html");
  const dispute = site.url("/harbour/founding-dispute.html");
  return (body) => {
    const request = classify(body);
    if (request.kind === "planner") {
      if (request.followUp) return planTurn([trade1900, founding]);
      // The first plan is broken JSON (single quotes, no closing brace): the repair run fixes it.
      return request.repair
        ? planTurn([founding, trade, lighthouse])
        : { text: "Plan: {'restated_question': 'harbour history', 'sub_questions': [" };
    }
    if (request.kind === "writer") {
      writerBodies.push(request.text);
      return {
        text:
          "# The harbour\n\nThe harbour was founded in 1642 [1], though some date it to 1651 [2]. It handled 4,817 tonnes of herring in 1890 [3].\n\n" +
          "Vikings founded it first [9]. See https://invented.example/vikings and [the notice](https://evil.example/steal) for more.",
      };
    }
    if (request.kind !== "reader") return { text: "?" };
    if (request.subQuestion === founding) {
      if (request.final || request.step >= 3) {
        return notesTurn(
          [
            { claim: "The harbour was founded in 1642.", source_id: sourceIdOf(history), quote: "founded in 1642 by Dutch   traders" },
            {
              claim: "Some historians date the founding to 1651.",
              source_id: sourceIdOf(dispute),
              quote: "the oldest surviving charter is dated 1651",
            },
            {
              claim: "Vikings founded the harbour.",
              source_id: sourceIdOf("https://invented.example/vikings"),
              quote: "the vikings built the first harbour wall",
            },
            { claim: "Columbus founded the harbour.", source_id: sourceIdOf(history), quote: "founded in 1492 by Columbus himself" },
          ],
          [trade1900],
        );
      }
      if (request.step === 0) return { toolCalls: [call("web_search", { query: "harbour founded" })] };
      return { toolCalls: [call("read_page", { url: history }), call("read_page", { url: dispute })] };
    }
    if (request.subQuestion === trade) {
      if (request.final || request.step >= 3)
        return notesTurn([
          {
            claim: "In 1890 the harbour handled 4,817 tonnes of herring.",
            source_id: sourceIdOf(site.url("/harbour/trade.html")),
            quote: "In 1890 the harbour handled 4,817 tonnes of herring",
          },
        ]);
      if (request.step === 0)
        return {
          toolCalls: [call("read_page", { url: site.url("/harbour/trade.html") }), call("read_page", { url: site.url("/missing.html") })],
        };
      // The same page another reader reads: the shared page cache fetches it once.
      return { toolCalls: [call("read_page", { url: history }), call("read_page", { url: site.url("/harbour/notice.html") })] };
    }
    if (request.subQuestion === lighthouse) {
      // A reader stuck in a loop: the same query every step, until its step limit ends it.
      if (request.final) return notesTurn([], [], "The lighthouse search kept returning the same results.");
      return { toolCalls: [call("web_search", { query: "lighthouse built" })] };
    }
    if (request.subQuestion === trade1900) {
      if (request.final || request.step >= 1)
        return notesTurn([
          {
            claim: "By 1900 the harbour handled 7,200 tonnes.",
            source_id: sourceIdOf(site.url("/harbour/trade-1900.html")),
            quote: "By 1900 the harbour handled 7,200 tonnes of herring",
          },
        ]);
      return { toolCalls: [call("read_page", { url: site.url("/harbour/trade-1900.html") })] };
    }
    return { text: "NOTES: {}" };
  };
}

test("research plans (repairing bad JSON), reads in parallel, drops invented and misquoted notes, and keeps unread URLs out of the report", async () => {
  const site = await startResearchSite();
  const writerBodies: string[] = [];
  try {
    await withStrategyServer(script(site, writerBodies), async ({ env, home, store }) => {
      const events: ResearchEvent[] = [];
      const result = await research("What is the history of the harbour?", {
        model,
        env: { ...env, PONDER_SEARCH_BACKEND: "searxng", SEARXNG_URL: site.url("") },
        home,
        store,
        sources: "web",
        charts: false,
        breadth: 3,
        depth: 2,
        readerSteps: 4,
        length: "brief",
        onEvent: (event) =>
          event.type.startsWith("research") ||
          event.type.startsWith("sub-question") ||
          event.type.startsWith("notes") ||
          event.type.startsWith("report")
            ? events.push(event as ResearchEvent)
            : undefined,
      });
      assert.equal(result.status, "completed");
      assert.deepEqual(
        result.plan.sub_questions.map((sub) => sub.question),
        [founding, trade, lighthouse],
      );
      // Round two holds only the follow-up that was not already researched.
      const rounds = events.filter((event) => event.type === "research-planned");
      assert.deepEqual(
        rounds.map((event) => event.type === "research-planned" && event.subQuestions),
        [[founding, trade, lighthouse], [trade1900]],
      );

      assert.equal(result.claims.checked, 6);
      assert.equal(result.claims.verified, 4);
      assert.deepEqual(result.claims.dropped.map((drop) => drop.claim).sort(), [
        "Columbus founded the harbour.",
        "Vikings founded the harbour.",
      ]);
      assert.match(result.claims.dropped.find((drop) => drop.claim.startsWith("Vikings"))?.reason ?? "", /never read/);
      assert.match(result.claims.dropped.find((drop) => drop.claim.startsWith("Columbus"))?.reason ?? "", /quote is not in/);

      // The writer saw only verified notes; the report keeps no unread URL nor unknown citation.
      const writerInput = writerBodies.join("\n");
      assert.ok(!writerInput.includes("Vikings") && !writerInput.includes("Columbus"));
      assert.ok(!result.report.includes("invented.example") && !result.report.includes("evil.example"));
      assert.ok(!result.report.includes("[9]"));
      assert.match(result.report, /founded in 1642 \[1\]/);
      assert.match(result.report, /## Sources\n\n1\. \[A history of the harbour\]\(http:\/\/127\.0\.0\.1:\d+\/harbour\/history\.html\)/);
      assert.match(result.report, /6 claims from the readers checked .*; 2 dropped/);
      const urls = result.report.match(/https?:\/\/[^\s)]+/g) ?? [];
      assert.ok(urls.length >= 3 && urls.every((url) => url.startsWith(site.url("/harbour/"))), urls.join(" "));

      // Each url_citation spans a [n] marker whose page was fetched over HTTP.
      assert.ok(result.annotations.length >= 3);
      for (const annotation of result.annotations) {
        assert.match(result.report.slice(annotation.start_index, annotation.end_index), /^\[\d+\]$/);
        assert.ok((site.hits.get(new URL(annotation.url).pathname) ?? 0) >= 1, annotation.url);
      }

      // Loops end: the looping reader's query reached the search service once; pages were fetched once.
      assert.equal(site.hits.get("/search?q=lighthouse built"), 1);
      assert.ok(result.search.repeatsCut >= 2);
      assert.equal(site.hits.get("/harbour/history.html"), 1);

      assert.equal(await readFile(result.markdownPath, "utf8"), result.report);
      const html = await readFile(result.htmlPath, "utf8");
      assert.match(html, /<a href="http:\/\/127\.0\.0\.1:\d+\/harbour\/history\.html">A history of the harbour<\/a>/);
      const parentItems = await store.listItems(result.runId);
      assert.deepEqual(
        parentItems.flatMap(({ item }) => (item.type === "artifact" ? [item.name] : [])),
        ["report.md", "report.html"],
      );
      const children = await store.listRuns({ parentId: result.runId });
      assert.deepEqual(children.map((child) => child.spec.metadata?.role).sort(), [
        "planner",
        "planner",
        "planner",
        "reader",
        "reader",
        "reader",
        "reader",
        "writer",
      ]);
      const parent = await store.getRun(result.runId);
      assert.equal(parent?.spec.strategy?.name, "research");
      assert.equal(parent?.result?.answer, result.report);
    });
  } finally {
    await site.close();
  }
});

test("the final check keeps read URLs and known citations, and removes the rest", () => {
  const sources = [{ number: 1, sourceId: "src_a", url: "https://read.example/a", title: "A" }];
  const check = checkReport({
    markdown:
      "Fact [1]. Made up [2]. See https://read.example/a. Not https://unread.example/b, nor [this](https://unread.example/c). ![chart](chart.png) ![x](https://unread.example/x.png)",
    sources,
    readUrls: new Set(["https://read.example/a"]),
    images: new Set(["chart.png"]),
  });
  assert.equal(check.markdown, "Fact [1]. Made up. See https://read.example/a. Not, nor this. ![chart](chart.png)");
  assert.deepEqual([check.citationsRemoved, check.urlsRemoved, check.imagesRemoved], [1, 2, 1]);
  assert.deepEqual(check.cited, sources);
});
