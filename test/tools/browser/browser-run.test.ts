import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Item } from "../../../src/core/items.js";
import { startRun } from "../../../src/library/start-run.js";
import { SqliteRunStore } from "../../../src/store/sqlite-run-store.js";
import { createBrowserTools } from "../../../src/tools/browser/index.js";
import { toolResults } from "../../support/conversation.js";
import { startFakeOpenAIServer } from "../../support/fake-openai-server.js";
import { temporaryHome } from "../../support/temporary-home.js";
import { chromiumChildren } from "./browser-test-context.js";
import { startTestSite } from "./browser-test-site.js";

test("a model run opens a page, clicks a link, reads it and answers; sources are recorded and Chromium is closed", async () => {
  const site = await startTestSite();
  const server = await startFakeOpenAIServer((body) => {
    const results = toolResults(body);
    if (results.length === 0) return { toolCalls: [{ name: "browser_open", arguments: JSON.stringify({ url: `${site.baseURL}/` }) }] };
    if (results.length === 1) {
      const ref = /\[(\d+)\] link \\?"More information\\?"/.exec(results[0] ?? "")?.[1];
      return { toolCalls: [{ name: "browser_click", arguments: JSON.stringify({ target: ref ?? "missing" }) }] };
    }
    const secret = /secret number is (\d+)/.exec(results[1] ?? "")?.[1];
    return { text: `The secret number is ${secret ?? "unknown"}.` };
  });
  const home = temporaryHome();
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  try {
    const handle = await startRun("What is the secret number on the test site's info page?", {
      model: "openai:gpt-4o",
      env: { OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL },
      home: home.path,
      store,
      tools: createBrowserTools(),
      policy: { effects: { external: "allow" } },
    });
    const record = await handle.result;
    assert.equal(record.status, "completed", record.error?.message);
    assert.equal(record.result?.answer, "The secret number is 4417.");

    const items: Item[] = (await store.listItems(record.id)).map((stored) => stored.item);
    const outputs = items.filter((item) => item.type === "function_call_output");
    assert.equal(outputs.length, 2);
    assert.ok(outputs.every((output) => output.error_kind === undefined));
    const sources = items.filter((item) => item.type === "source");
    assert.deepEqual(
      sources.map((source) => source.url),
      [`${site.baseURL}/`, `${site.baseURL}/info`],
    );
    assert.match(readFileSync(sources[1]?.text_path ?? "", "utf8"), /The secret number is 4417\./);
    assert.deepEqual(chromiumChildren(), [], "the run closed its browser");
  } finally {
    await store.close();
    await server.close();
    await site.close();
    home.remove();
  }
});
