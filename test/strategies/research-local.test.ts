import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { research } from "../../src/strategies/research/index.js";
import { sourceIdOf } from "../../src/tools/sources.js";
import { addFolders, localIndexDirectoryOf, readIndexedDocument } from "../../src/tools/web/search/index.js";
import { call, classify, notesTurn, planTurn } from "./research-script.js";
import { sitePages, writeSiteFiles } from "./research-site.js";
import { withStrategyServer } from "./strategy-server.js";

const founding = "When was the harbour founded?";
const arrivals = "How many ships arrived in 1890?";

test("research over the local index of the test corpus cites only indexed files that were read", async () => {
  assert.ok(Object.keys(sitePages).length >= 30);
  let folder = "";
  const fileUrl = (name: string) => pathToFileURL(join(folder, name)).href;
  await withStrategyServer(
    (body) => {
      const request = classify(body);
      if (request.kind === "planner") return planTurn([founding, arrivals]);
      if (request.kind === "writer") {
        return {
          text: "# The harbour\n\nThe harbour was founded in 1642 [1], though the oldest charter is dated 1651 [2]. In 1890 it recorded 450 ship arrivals [3]. A register nobody read says otherwise [4].",
        };
      }
      if (request.kind !== "reader") return { text: "?" };
      if (request.subQuestion === founding) {
        if (request.final || request.step >= 3) {
          return notesTurn([
            {
              claim: "The harbour was founded in 1642.",
              source_id: sourceIdOf(fileUrl("history.md")),
              quote: "founded in 1642 by Dutch traders",
            },
            {
              claim: "The oldest charter is dated 1651.",
              source_id: sourceIdOf(fileUrl("founding-dispute.md")),
              quote: "the oldest surviving charter is dated 1651",
            },
            // Indexed but never opened: the note must be dropped, and the file never cited.
            { claim: "The museum keeps the charter.", source_id: sourceIdOf(fileUrl("museum.md")), quote: "keeps the 1651 charter" },
          ]);
        }
        if (request.step === 0) return { toolCalls: [call("web_search", { query: "harbour founded charter" })] };
        return {
          toolCalls: [call("read_page", { url: fileUrl("history.md") }), call("read_page", { url: fileUrl("founding-dispute.md") })],
        };
      }
      if (request.final || request.step >= 2)
        return notesTurn([
          { claim: "450 ships arrived in 1890.", source_id: sourceIdOf(fileUrl("register-1890.md")), quote: "records 450 ship arrivals" },
        ]);
      if (request.step === 0) return { toolCalls: [call("web_search", { query: "register 1890 arrivals" })] };
      return { toolCalls: [call("read_page", { url: fileUrl("register-1890.md") })] };
    },
    async ({ env, home, store }) => {
      folder = join(home, "corpus");
      mkdirSync(folder);
      writeSiteFiles(folder);
      const indexDirectory = localIndexDirectoryOf(home);
      await addFolders(indexDirectory, [folder]);

      const result = await research("What is the history of the harbour?", {
        model: "openai:gpt-4o",
        env,
        home,
        store,
        sources: "local",
        charts: false,
        depth: 1,
        readerSteps: 4,
        length: "brief",
      });
      assert.equal(result.status, "completed");
      assert.equal(result.claims.verified, 3);
      assert.match(result.claims.dropped[0]?.reason ?? "", /never read/);

      const children = await store.listRuns({ parentId: result.runId });
      const readers = children.filter((child) => child.spec.metadata?.role === "reader");
      const read = new Set<string>();
      for (const reader of readers) for (const { item } of await store.listItems(reader.id)) if (item.type === "source") read.add(item.url);

      const sources = result.report.slice(result.report.indexOf("## Sources"));
      const cited = [...sources.matchAll(/\]\((file:\/\/[^)]+)\)/g)].map((match) => match[1] as string);
      assert.deepEqual(cited, [fileUrl("history.md"), fileUrl("founding-dispute.md"), fileUrl("register-1890.md")]);
      for (const url of cited) {
        assert.ok(read.has(url), `${url} was cited but not read`);
        assert.ok(await readIndexedDocument(indexDirectory, url), `${url} is not in the local index`);
      }
      assert.ok(!result.report.includes("museum.md") && !result.report.includes("[4]"));

      // Every url_citation spans a [n] marker whose source was read, and is that number's source.
      assert.equal(result.annotations.length, 3);
      for (const annotation of result.annotations) {
        const marker = result.report.slice(annotation.start_index, annotation.end_index);
        assert.match(marker, /^\[\d+\]$/);
        assert.equal(annotation.url, cited[Number(marker.slice(1, -1)) - 1]);
        assert.ok(read.has(annotation.url));
      }
    },
  );
});
