// web_search with only a model key: the run's provider's hosted web search, against fake OpenAI
// Responses and Anthropic Messages servers that search (and cite) only when the request carries
// the provider's own search tool; the cited pages become results and Ponder sources.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { Item, SourceItem } from "../../../src/core/items.js";
import { builtinTools } from "../../../src/library/builtin-tools.js";
import { sourceIdOf } from "../../../src/tools/sources.js";
import { startFakeOpenAIServer, type FakeTurn, type RequestBody } from "../../support/fake-openai-server.js";
import { heatPumps, hostedSearch, hostedTool, quote, review } from "../../support/fake-hosted-search.js";
import { runCli } from "../../support/run-cli.js";
import { temporaryHome } from "../../support/temporary-home.js";

function lastUserText(body: RequestBody): string {
  const messages = (body.input ?? body.messages) as { role?: string; content: unknown }[];
  const content = messages.filter((message) => message.role === "user").at(-1)?.content;
  return typeof content === "string" ? content : JSON.stringify(content);
}

function functionResults(body: RequestBody): string[] {
  const text = JSON.stringify(body.input ?? body.messages);
  return [...text.matchAll(/results? for \\"[^\\]*\\" from [^:]*/g)].map((match) => match[0]);
}

for (const { provider, model, keyVariable, urlVariable, label } of [
  {
    provider: "openai",
    model: "openai:gpt-5-mini",
    keyVariable: "OPENAI_API_KEY",
    urlVariable: "OPENAI_BASE_URL",
    label: "OpenAI's hosted web search",
  },
  {
    provider: "anthropic",
    model: "anthropic:claude-sonnet-4-5",
    keyVariable: "ANTHROPIC_API_KEY",
    urlVariable: "ANTHROPIC_BASE_URL",
    label: "Anthropic's hosted web search",
  },
]) {
  test(`${provider}: with only a model key, web_search is the provider's hosted search; cited pages become sources`, async () => {
    const hostedRequests: RequestBody[] = [];
    const server = await startFakeOpenAIServer((body): FakeTurn => {
      if (hostedTool(body)) {
        hostedRequests.push(body);
        return { webSearch: hostedSearch(/Query: (.*?)(\\n|\n|")/.exec(lastUserText(body))?.[1] ?? "") };
      }
      // The run's model: search once, then answer with what the search returned.
      if (functionResults(body).length === 0) {
        return { toolCalls: [{ name: "web_search", arguments: JSON.stringify({ query: "heat pumps -25C" }) }] };
      }
      const messages = JSON.stringify(body.input ?? body.messages);
      return { text: messages.includes(sourceIdOf(heatPumps)) ? "Found and cited." : "Nothing usable." };
    });
    const home = temporaryHome();
    const env = { PONDER_HOME: home.path, [keyVariable]: "key", [urlVariable]: server.baseURL };
    try {
      const result = await runCli(["ask", "--effort", "low", "--model", model, "How do heat pumps perform below -20 °C?"], env);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.trim(), "Found and cited.");
      assert.match(result.stderr, new RegExp(`2 results for "heat pumps -25C" from ${label}`), "the live view names the source");

      assert.equal(hostedRequests.length, 1);
      const hosted = hostedRequests[0] ?? {};
      assert.equal(hosted.tools.length, 1, "only the provider's search tool");
      if (provider === "openai") assert.equal(hosted.store, false, "nothing kept on OpenAI's side");
      assert.match(lastUserText(hosted), /heat pumps -25C/);
      const mainTools = server.requests.find((request) => !hostedTool(request.body))?.body.tools as {
        name?: string;
        description?: string;
      }[];
      const webSearch = mainTools.find((tool) => tool.name === "web_search");
      assert.match(webSearch?.description ?? "", new RegExp(label));

      const runId = JSON.parse((await runCli(["runs", "--json"], env)).stdout)[0].id as string;
      const run = JSON.parse((await runCli(["show", "--json", runId], env)).stdout) as { items: Item[] };
      const output = run.items.find((item) => item.type === "function_call_output");
      const text = output?.type === "function_call_output" ? String(output.output) : "";
      assert.match(text, new RegExp(`\\[1\\] Heat pumps in the cold\\nURL: ${heatPumps}\\nSource id: \\[${sourceIdOf(heatPumps)}\\]`));
      // OpenAI lists the pages it found by URL only; Anthropic gives their titles.
      const second = provider === "anthropic" ? "A field study" : review;
      assert.ok(text.includes(`[2] ${second}\nURL: ${review}\n(found by the search; not cited)`), text);
      const sources = run.items.filter((item): item is SourceItem => item.type === "source");
      assert.deepEqual(
        sources.map((source) => [source.source_id, source.url]),
        [[sourceIdOf(heatPumps), heatPumps]],
        "only the cited page is a source",
      );
      const recorded = readFileSync(sources[0]?.text_path ?? "", "utf8");
      // Anthropic cites the page's own words; OpenAI points at the sentence of its answer.
      assert.equal(recorded, provider === "anthropic" ? quote : "Cold-climate heat pumps keep working well below freezing.");
    } finally {
      await server.close();
      home.remove();
    }
  });
}

test("hosted search is used only when no backend is chosen, for OpenAI over Responses and Anthropic, with a key", () => {
  const home = temporaryHome();
  try {
    const base = { env: {}, home: home.path, providers: { openai: { apiKey: "k" }, anthropic: { apiKey: "a" } } };
    const searchOf = (settings: Parameters<typeof builtinTools>[0], modelId: string) =>
      builtinTools(settings, modelId).get("web_search")?.description ?? "(no web_search)";
    assert.match(searchOf(base, "openai:gpt-5-mini"), /OpenAI's hosted web search/);
    assert.match(searchOf(base, "anthropic:claude-haiku-4-5"), /Anthropic's hosted web search/);
    assert.equal(searchOf(base, "ollama:qwen3:8b"), "(no web_search)", "a provider without hosted search, an empty index");
    assert.equal(searchOf({ ...base, providers: { openai: { apiKey: "k", api: "chat" } } }, "openai:gpt-5-mini"), "(no web_search)");
    assert.equal(searchOf({ ...base, providers: {} }, "openai:gpt-5-mini"), "(no web_search)");
    assert.equal(searchOf({ ...base, env: { PONDER_SEARCH_BACKEND: "local" } }, "openai:gpt-5-mini"), "(no web_search)");
    assert.match(
      searchOf({ ...base, search: { backend: "searxng", searxng: { url: "http://127.0.0.1:9" } } }, "openai:gpt-5-mini"),
      /SearXNG/i,
    );
  } finally {
    home.remove();
  }
});
