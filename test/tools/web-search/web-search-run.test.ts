import { test } from "node:test";
import assert from "node:assert/strict";
import { unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ToolInfraError } from "../../../src/core/errors.js";
import type { FunctionCallOutputItem, Item } from "../../../src/core/items.js";
import { startRun } from "../../../src/library/start-run.js";
import { SqliteRunStore } from "../../../src/store/sqlite-run-store.js";
import { addFolders } from "../../../src/tools/web/search/local/local-index.js";
import { searchSettingsFrom } from "../../../src/tools/web/search/search-settings.js";
import { createWebSearchTool } from "../../../src/tools/web/search/web-search-tool.js";
import { toolResults } from "../../support/conversation.js";
import { startFakeOpenAIServer } from "../../support/fake-openai-server.js";
import { temporaryHome } from "../../support/temporary-home.js";
import { callTool, documentFolder, startFakeSearchServer, textOf } from "./search-test-support.js";

const search = (query: string) => ({ name: "web_search", arguments: JSON.stringify({ query }) });
const outputsOf = (items: Item[]) => items.filter((item): item is FunctionCallOutputItem => item.type === "function_call_output");

test("a run's model searches the local index and reads numbered, wrapped results", async () => {
  const home = temporaryHome();
  const docs = documentFolder({
    "handbook/vacation.md": "# Vacation policy\n\nEmployees get 30 days of paid vacation per year; unused days carry over until March.",
    "handbook/expenses.md": "# Expenses\n\nKeep receipts for every purchase above 20 euros.",
  });
  const model = await startFakeOpenAIServer((body) =>
    toolResults(body).length === 0 ? { toolCalls: [search("paid vacation days")] } : { text: "30 days, see the handbook." },
  );
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  try {
    await addFolders(join(home.path, "index"), [docs.path]);
    const tool = createWebSearchTool(searchSettingsFrom(undefined, {}, home.path));
    assert.equal(tool.effects, "read");
    const record = await (
      await startRun("How many vacation days do I get?", {
        model: "openai:gpt-4o",
        env: { OPENAI_API_KEY: "k", OPENAI_BASE_URL: model.baseURL },
        home: home.path,
        store,
        tools: [tool],
      })
    ).result;
    assert.equal(record.status, "completed", record.error?.message);
    assert.equal(record.result?.answer, "30 days, see the handbook.");
    const [seen] = toolResults(model.requests[1]?.body ?? {});
    assert.match(seen ?? "", /^1 result for "paid vacation days" from the local document index:/);
    assert.match(seen ?? "", /<untrusted_content origin="web_search: the local document index">\n\[1\] Vacation policy\n/);
    assert.ok(seen?.includes(`URL: ${pathToFileURL(join(docs.path, "handbook/vacation.md")).href}`));
    assert.match(seen ?? "", /30 days of paid vacation/);
  } finally {
    await store.close();
    await model.close();
    docs.remove();
    home.remove();
  }
});

test("a run using a remote backend: the policy allows it and a rate limit is waited out", async () => {
  const home = temporaryHome();
  const service = await startFakeSearchServer((_request, index) =>
    index === 0
      ? { status: 429, headers: { "retry-after": "0" } }
      : {
          body: {
            results: [
              {
                title: "Node.js 20 release",
                url: "https://nodejs.org/en/blog/release/v20.0.0",
                content: "Node.js 20 was released on April 18, 2023.",
              },
            ],
          },
        },
  );
  const model = await startFakeOpenAIServer((body) =>
    toolResults(body).length === 0 ? { toolCalls: [search("node 20 release date")] } : { text: "April 18, 2023." },
  );
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  try {
    const tool = createWebSearchTool(
      searchSettingsFrom({ backend: "tavily", tavily: { url: service.url } }, { TAVILY_API_KEY: "tvly-test" }, home.path),
    );
    const record = await (
      await startRun("When was Node 20 released?", {
        model: "openai:gpt-4o",
        env: { OPENAI_API_KEY: "k", OPENAI_BASE_URL: model.baseURL },
        home: home.path,
        store,
        tools: [tool],
        policy: { tools: { web_search: "allow" } },
      })
    ).result;
    assert.equal(record.status, "completed", record.error?.message);
    const outputs = outputsOf((await store.listItems(record.id)).map((stored) => stored.item));
    assert.equal(outputs[0]?.error_kind, undefined);
    assert.match(String(outputs[0]?.output), /\[1\] Node\.js 20 release\nURL: https:\/\/nodejs\.org\/en\/blog\/release\/v20\.0\.0/);
    assert.equal(service.requests.length, 2);
  } finally {
    await store.close();
    await model.close();
    await service.close();
    home.remove();
  }
});

test("a run whose search backend refuses the key gets an infra error it can act on", async () => {
  const home = temporaryHome();
  const service = await startFakeSearchServer(() => ({ status: 401, body: { message: "invalid key" } }));
  const model = await startFakeOpenAIServer((body) =>
    toolResults(body).length === 0 ? { toolCalls: [search("anything")] } : { text: "I could not search." },
  );
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  try {
    const tool = createWebSearchTool(searchSettingsFrom({ backend: "exa", exa: { url: service.url } }, { EXA_API_KEY: "bad" }, home.path));
    const record = await (
      await startRun("Search.", {
        model: "openai:gpt-4o",
        env: { OPENAI_API_KEY: "k", OPENAI_BASE_URL: model.baseURL },
        home: home.path,
        store,
        tools: [tool],
        policy: { effects: { external: "allow" } },
      })
    ).result;
    assert.equal(record.status, "completed");
    const outputs = outputsOf((await store.listItems(record.id)).map((stored) => stored.item));
    assert.equal(outputs[0]?.error_kind, "infra_error");
    assert.match(
      String(outputs[0]?.output),
      /Exa refused the request \(HTTP 401: invalid key\)\. Searching again will not help: the user must check the Exa API key \(EXA_API_KEY/,
    );
    assert.equal(service.requests.length, 1, "not retried by the tool nor by the loop");
  } finally {
    await store.close();
    await model.close();
    await service.close();
    home.remove();
  }
});

test("the local backend refreshes a stale index before searching, and explains an empty one", async () => {
  const home = temporaryHome();
  const docs = documentFolder({ "a.md": "# Alpha\n\nThe first letter.", "b.md": "# Beta\n\nThe second letter." });
  try {
    const settings = searchSettingsFrom({ local: { refreshAfterMs: 0 } }, {}, home.path);
    const tool = createWebSearchTool(settings);
    await assert.rejects(
      callTool(tool, { query: "letter" }),
      (error: unknown) => error instanceof ToolInfraError && /index is empty[\s\S]*ponder index add/.test(error.message),
    );

    await addFolders(join(home.path, "index"), [docs.path]);
    assert.match(textOf(await callTool(tool, { query: "letter" })), /^2 results/);
    unlinkSync(join(docs.path, "b.md"));
    docs.write("c.md", "# Gamma\n\nThe third letter.");
    const text = textOf(await callTool(tool, { query: "letter", max_results: 5 }));
    assert.match(text, /^2 results/);
    assert.match(text, /Gamma/);
    assert.doesNotMatch(text, /Beta/);
    assert.match(
      textOf(await callTool(tool, { query: "zeppelin" })),
      /^No results for "zeppelin" from the local document index\. Rephrase/,
    );

    // While another process updates the index, a search answers from the index as it is.
    writeFileSync(
      join(home.path, "index", "update.lock"),
      JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() }),
    );
    docs.write("d.md", "# Delta\n\nThe fourth letter.");
    assert.doesNotMatch(textOf(await callTool(tool, { query: "letter" })), /Delta/);
    unlinkSync(join(home.path, "index", "update.lock"));
    assert.match(textOf(await callTool(tool, { query: "letter" })), /Delta/);

    writeFileSync(join(home.path, "index", "index.json"), "{ damaged");
    await assert.rejects(
      callTool(tool, { query: "letter" }),
      (error: unknown) =>
        error instanceof ToolInfraError && /cannot be read[\s\S]*The user can fix it: Delete that file/.test(error.message),
    );
  } finally {
    docs.remove();
    home.remove();
  }
});
