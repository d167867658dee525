import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { researchCommand, researchHelp } from "../../src/cli/commands/research.js";
import { sourceIdOf } from "../../src/tools/sources.js";
import { addFolders, localIndexDirectoryOf } from "../../src/tools/web/search/index.js";
import { call, classify, notesTurn, planTurn } from "./research-script.js";
import { sitePages } from "./research-site.js";
import { withStrategyServer } from "./strategy-server.js";

test("ponder research --sources local researches the user's own documents and prints the report path and the report", async () => {
  let documentUrl = "";
  await withStrategyServer((body) => {
    const request = classify(body);
    if (request.kind === "planner") return planTurn(["How much herring was landed in 1890?"]);
    if (request.kind === "writer") return { text: "# Herring\n\nIn 1890 the harbour handled 4,817 tonnes [1]." };
    if (request.kind !== "reader") return { text: "?" };
    if (request.final || request.step >= 2) return notesTurn([{ claim: "4,817 tonnes in 1890.", source_id: sourceIdOf(documentUrl), quote: "handled 4,817 tonnes of herring" }]);
    if (request.step === 0) return { toolCalls: [call("web_search", { query: "herring 1890" })] };
    return { toolCalls: [call("read_page", { url: documentUrl })] };
  }, async ({ env, home }) => {
    const folder = join(home, "documents");
    mkdirSync(folder);
    for (const [path, page] of Object.entries(sitePages)) writeFileSync(join(folder, `${path.split("/").pop()?.replace(".html", "")}.md`), `# ${page.title}\n\n${page.body}\n`);
    documentUrl = pathToFileURL(join(folder, "trade.md")).href;
    await addFolders(localIndexDirectoryOf(home), [folder]);

    const output = { stdout: "", stderr: "" };
    const writes = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
    const saved = { ...process.env };
    Object.assign(process.env, env, { PONDER_HOME: home });
    delete process.env.PONDER_SEARCH_BACKEND;
    process.stdout.write = ((chunk: string) => ((output.stdout += chunk), true)) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string) => ((output.stderr += chunk), true)) as typeof process.stderr.write;
    let code: number;
    try {
      code = await researchCommand(["How much herring was landed?", "--sources", "local", "--yes", "--no-charts", "--length", "brief", "-m", "openai:gpt-4o", "--home", home]);
    } finally {
      process.stdout.write = writes.stdout;
      process.stderr.write = writes.stderr;
      process.env = saved;
    }
    assert.equal(code, 0, output.stderr);
    assert.match(output.stdout, /^Report: .*report\.md\nHTML: {3}.*report\.html\n\n# Herring/);
    assert.ok(output.stdout.includes(`](${documentUrl})`), output.stdout);
    assert.match(output.stderr, /plan: What is the history of the harbour\?\n {2}└─ How much herring was landed in 1890\?/);
    assert.match(output.stderr, /read \[1\] Herring trade in 1890/);
    assert.match(output.stderr, /citation check: 1 claims, 1 verified, 0 dropped; 1 sources read/);
  });
});

test("ponder research rejects an unknown length with a clear message", async () => {
  await assert.rejects(researchCommand(["q", "--length", "novel"]), /--length novel: unknown/);
  assert.match(researchHelp, /--sources <where> +web \| local \| both/);
});
