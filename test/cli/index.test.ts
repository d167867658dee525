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
  const server = await startFakeOpenAIServer((body) =>
    toolResults(body).length === 0 ? { toolCalls: [{ name: "web_search", arguments: JSON.stringify({ query: "spring tide Saint-Malo" }) }] } : { text: toolResults(body)[0] ?? "" },
  );
  const env = { PONDER_HOME: home.path, OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL, PONDER_MODEL: "openai:gpt-4o" };
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
    assert.ok(answer.indexOf("tides.md") < (answer.indexOf("bread.md") === -1 ? Infinity : answer.indexOf("bread.md")), "the matching document ranks first");
  } finally {
    await server.close();
    home.remove();
  }
});
