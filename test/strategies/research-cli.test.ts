import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { researchCommand, researchHelp } from "../../src/cli/commands/research.js";
import { sourceIdOf } from "../../src/tools/sources.js";
import { addFolders, localIndexDirectoryOf } from "../../src/tools/web/search/index.js";
import { call, classify, notesTurn, planTurn } from "./research-script.js";
import { writeSiteFiles } from "./research-site.js";
import { withStrategyServer } from "./strategy-server.js";

/** Runs `ponder research` in-process with `env`, capturing what it prints. */
async function runResearchCommand(
  args: string[],
  env: Record<string, string>,
  home: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = { stdout: "", stderr: "" };
  const writes = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
  const saved = { ...process.env };
  Object.assign(process.env, env, { PONDER_HOME: home });
  delete process.env.PONDER_SEARCH_BACKEND;
  process.stdout.write = ((chunk: string) => ((output.stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((output.stderr += chunk), true)) as typeof process.stderr.write;
  try {
    const code = await researchCommand([
      ...args,
      "--sources",
      "local",
      "--yes",
      "--no-charts",
      "--length",
      "brief",
      "-m",
      "openai:gpt-4o",
      "--home",
      home,
    ]);
    return { code, ...output };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    process.env = saved;
  }
}

/** A fake model for one sub-question over the indexed corpus: search, read trade.md, note 1890. */
async function withIndexedCorpus(
  writerText: string,
  body: (context: { env: Record<string, string>; home: string; documentUrl: string }) => Promise<void>,
): Promise<void> {
  let documentUrl = "";
  await withStrategyServer(
    (request) => {
      const kind = classify(request);
      if (kind.kind === "planner") return planTurn(["How much herring was landed in 1890?"]);
      if (kind.kind === "writer") return { text: writerText };
      if (kind.kind !== "reader") return { text: "?" };
      if (kind.final || kind.step >= 2)
        return notesTurn([
          { claim: "4,817 tonnes in 1890.", source_id: sourceIdOf(documentUrl), quote: "handled 4,817 tonnes of herring" },
        ]);
      if (kind.step === 0) return { toolCalls: [call("web_search", { query: "herring 1890" })] };
      return { toolCalls: [call("read_page", { url: documentUrl })] };
    },
    async ({ env, home }) => {
      const folder = join(home, "documents");
      mkdirSync(folder);
      writeSiteFiles(folder);
      documentUrl = pathToFileURL(join(folder, "trade.md")).href;
      await addFolders(localIndexDirectoryOf(home), [folder]);
      await body({ env, home, documentUrl });
    },
  );
}

test("ponder research --sources local researches the user's own documents and prints the report path and the report", async () => {
  await withIndexedCorpus("# Herring\n\nIn 1890 the harbour handled 4,817 tonnes [1].", async ({ env, home, documentUrl }) => {
    const output = await runResearchCommand(["How much herring was landed?"], env, home);
    assert.equal(output.code, 0, output.stderr);
    assert.match(output.stdout, /^Report: .*report\.md\nHTML: {3}.*report\.html\n\n# Herring/);
    assert.ok(output.stdout.includes(`](${documentUrl})`), output.stdout);
    assert.match(output.stderr, /plan: What is the history of the harbour\?\n {2}└─ How much herring was landed in 1890\?/);
    assert.match(output.stderr, /read \[1\] Herring trade in 1890/);
    assert.match(output.stderr, /citation check: 1 claims, 1 verified, 0 dropped; 1 sources read/);
  });
});

test("ponder research --json prints a url_citation annotation for every citation in the report", async () => {
  await withIndexedCorpus(
    "# Herring\n\nIn 1890 the harbour handled 4,817 tonnes [1]. Most was salted [1][2].",
    async ({ env, home, documentUrl }) => {
      const output = await runResearchCommand(["How much herring was landed?", "--json"], env, home);
      assert.equal(output.code, 0, output.stderr);
      const result = JSON.parse(output.stdout) as {
        report: string;
        annotations: { type: string; start_index: number; end_index: number; url: string; title: string }[];
      };
      // [2] was never a verified source: the check removed it, so only the two [1] markers remain.
      assert.deepEqual(
        result.annotations.map((annotation) => result.report.slice(annotation.start_index, annotation.end_index)),
        ["[1]", "[1]"],
      );
      for (const annotation of result.annotations)
        assert.deepEqual(
          { type: annotation.type, url: annotation.url, title: annotation.title },
          { type: "url_citation", url: documentUrl, title: "Herring trade in 1890" },
        );
    },
  );
});

test("ponder research rejects an unknown length with a clear message", async () => {
  await assert.rejects(researchCommand(["q", "--length", "novel"]), /--length novel: unknown/);
  assert.match(researchHelp, /--sources <where> +web \| local \| both/);
});
