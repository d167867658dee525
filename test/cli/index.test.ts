import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeOpenAIServer } from "../support/fake-openai-server.js";
import { toolResults } from "../support/conversation.js";
import { runCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";

test("ponder index add, then a run searches the user's own documents", async () => {
  const home = temporaryHome();
  const documents = join(home.path, "notes");
  mkdirSync(documents);
  writeFileSync(join(documents, "tides.md"), "# Tides\nThe spring tide at Saint-Malo can reach thirteen metres.\n");
  writeFileSync(join(documents, "bread.md"), "# Bread\nA sourdough starter needs flour and water.\n");
  const server = await startFakeOpenAIServer((body) => {
    const results = toolResults(body);
    if (results.length === 0)
      return { toolCalls: [{ name: "web_search", arguments: JSON.stringify({ query: "spring tide Saint-Malo" }) }] };
    // Open the first result: a file:// URL of an indexed document.
    const url = /file:\/\/[^\s)\]"]+tides\.md/.exec(results[0] ?? "")?.[0];
    if (results.length === 1) return { toolCalls: [{ name: "read_page", arguments: JSON.stringify({ url }) }] };
    return { text: `${results[0]}\n---\n${results[1]}` };
  });
  // The local index chosen by name: web_search searches it, not OpenAI's hosted web search.
  const env = {
    PONDER_HOME: home.path,
    OPENAI_API_KEY: "k",
    OPENAI_BASE_URL: server.baseURL,
    PONDER_MODEL: "openai:gpt-4o",
    PONDER_SEARCH_BACKEND: "local",
  };
  try {
    const added = await runCli(["index", "add", documents], env);
    assert.equal(added.code, 0, added.stderr);
    const listed = await runCli(["index", "list", "--json"], env);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /notes/);

    const result = await runCli(["ask", "--json", "How high is the spring tide at Saint-Malo?"], env);
    assert.equal(result.code, 0, result.stderr);
    const answer = JSON.parse(result.stdout).answer as string;
    assert.match(answer, /tides\.md/);
    assert.match(answer, /thirteen metres/);
    assert.ok(
      answer.indexOf("tides.md") < (answer.indexOf("bread.md") === -1 ? Infinity : answer.indexOf("bread.md")),
      "the matching document ranks first",
    );
    const opened = answer.split("---")[1] ?? "";
    assert.match(opened, /src_[0-9a-f]{10}/, "read_page opened the local result and gave its source id");
    assert.match(opened, /spring tide at Saint-Malo can reach thirteen metres/);
    const run = JSON.parse(result.stdout);
    assert.ok(
      run.items.some((item: { type: string; url?: string }) => item.type === "source" && item.url?.endsWith("tides.md")),
      "the document is in the citation ledger",
    );
  } finally {
    await server.close();
    home.remove();
  }
});
