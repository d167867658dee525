import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError } from "../../../src/core/errors.js";
import { bestSnippet } from "../../../src/tools/web/search/local/snippet.js";
import { markdownTitle } from "../../../src/tools/web/search/local/document-text.js";
import { plainText, shorten } from "../../../src/tools/web/search/plain-text.js";
import { retryAfterMs, retryDelayMs } from "../../../src/tools/web/search/search-retry.js";
import { defaultSearchRetry, searchConfigSchema, searchSettingsFrom } from "../../../src/tools/web/search/search-settings.js";

test("the snippet is the passage with the most different query terms, whole words only", () => {
  const filler = "lorem ipsum dolor sit amet ".repeat(40);
  const text = `${filler} the cat sat. ${filler} reindexing cat and dog and bird together here. ${filler}`;
  const snippet = bestSnippet(text, ["cat", "dog", "bird"], 120);
  assert.match(snippet.text, /cat and dog and bird/);
  assert.ok(snippet.text.startsWith("…") && snippet.text.endsWith("…"));
  assert.ok(snippet.text.length <= 125);
  assert.equal(bestSnippet("The reindexing finished.", ["index"]).text, "The reindexing finished.", "no whole-word match: the start");
  assert.equal(bestSnippet("Über Straße", ["straße"]).text, "Über Straße");
});

test("Markdown titles come from front matter, then the first heading", () => {
  assert.equal(markdownTitle('---\ntitle: "Front"\n---\n# Heading'), "Front");
  assert.equal(markdownTitle("intro\n\n## Second level ##\n"), "Second level");
  assert.equal(markdownTitle("no heading at all"), undefined);
});

test("snippets from services become plain, bounded text", () => {
  assert.equal(plainText("<strong>Fish</strong> &amp; chips&nbsp;&#8212; &#x2764;\n\n done"), "Fish & chips — ❤ done");
  assert.equal(plainText(undefined), "");
  assert.equal(shorten("alpha beta gamma delta epsilon", 20), "alpha beta gamma…");
  assert.equal(shorten("short", 20), "short");
});

test("Retry-After in seconds or as a date; backoff is bounded and jittered", () => {
  assert.equal(retryAfterMs("2"), 2000);
  assert.equal(retryAfterMs("0.5"), 500);
  assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 7_000), 3000);
  assert.equal(retryAfterMs("soon"), undefined);
  assert.equal(retryAfterMs(null), undefined);
  assert.equal(retryDelayMs(1, 20_000, defaultSearchRetry), undefined, "longer than allowed");
  assert.equal(retryDelayMs(1, 3_000, defaultSearchRetry), 3_000);
  assert.equal(
    retryDelayMs(1, undefined, defaultSearchRetry, () => 0),
    250,
  );
  assert.equal(
    retryDelayMs(10, undefined, defaultSearchRetry, () => 0.999),
    3_998,
  );
});

test("search settings: local by default under <home>/index; remote backends need their key or URL", () => {
  const local = searchSettingsFrom(undefined, {}, "/home/u/.ponder");
  assert.equal(local.backend, "local");
  assert.ok(local.backend === "local" && local.local.directory === "/home/u/.ponder/index");
  assert.equal(local.maxResults, 5);

  const brave = searchSettingsFrom({ backend: "brave", maxResults: 8 }, { BRAVE_API_KEY: "key" }, "/h");
  assert.deepEqual(
    [brave.backend, brave.backend === "brave" && brave.url, brave.backend === "brave" && brave.apiKey, brave.maxResults],
    ["brave", "https://api.search.brave.com", "key", 8],
  );
  const searx = searchSettingsFrom({ backend: "local" }, { PONDER_SEARCH_BACKEND: "searxng", SEARXNG_URL: "http://127.0.0.1:8888/" }, "/h");
  assert.ok(searx.backend === "searxng" && searx.url === "http://127.0.0.1:8888");

  assert.throws(
    () => searchSettingsFrom({ backend: "tavily" }, {}, "/h"),
    (error: unknown) => error instanceof ConfigError && error.hint === "Set TAVILY_API_KEY or search.tavily.apiKey.",
  );
  assert.throws(() => searchSettingsFrom({ backend: "searxng" }, {}, "/h"), /needs the URL of a SearXNG server/);
  assert.throws(() => searchSettingsFrom(undefined, { PONDER_SEARCH_BACKEND: "google" }, "/h"), /Unknown search backend "google"/);
  assert.equal(searchConfigSchema.safeParse({ backend: "exa", exa: { apiKey: "k", extra: 1 } }).success, false);
  assert.equal(searchConfigSchema.safeParse({ backend: "exa", maxResults: 21 }).success, false);
});
