// `ponder research` with only a model key: readers search with the provider's hosted web search,
// notes quoting its cited passages are verified like pages read, the progress view says what is
// searched; with nothing to search it refuses (exit 2), and a report without one verified note
// is never "completed".
import { test } from "node:test";
import assert from "node:assert/strict";
import { sourceIdOf } from "../../src/tools/sources.js";
import { startFakeOpenAIServer, type FakeTurn, type RequestBody } from "../support/fake-openai-server.js";
import { runCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";
import { hostedSearch, hostedTool } from "../support/fake-hosted-search.js";
import { call, classify, notesTurn, planTurn } from "./research-script.js";

const page = "https://energy.example/heat-pumps-in-the-cold";
const question = "How do heat pumps perform below -20 °C?";

function researcher(readerQuote: string) {
  return (body: RequestBody): FakeTurn => {
    if (hostedTool(body)) return { webSearch: hostedSearch("heat pumps cold") };
    const request = classify(body);
    if (request.kind === "planner") return planTurn(["How well do heat pumps work at -25 °C?"]);
    if (request.kind === "writer") return { text: "# Heat pumps in the cold\n\nThey keep working well below freezing [1]." };
    if (request.kind !== "reader") return { text: "?" };
    // research-script counts OpenAI's tool results; Anthropic's are tool_result blocks.
    const step = request.step + (JSON.stringify(body).match(/"type":"tool_result"/g) ?? []).length;
    if (step === 0 && !request.final) return { toolCalls: [call("web_search", { query: "heat pumps cold" })] };
    return notesTurn([{ claim: "Heat pumps work below freezing.", source_id: sourceIdOf(page), quote: readerQuote }]);
  };
}

async function research(env: Record<string, string>, extra: string[] = []) {
  return runCli(["research", question, "--yes", "--no-charts", "--length", "brief", "--depth", "1", ...extra], env);
}

for (const { provider, model, keys, quote } of [
  {
    provider: "openai",
    model: "openai:gpt-5-mini",
    keys: (url: string) => ({ OPENAI_API_KEY: "k", OPENAI_BASE_URL: url }),
    // OpenAI cites a sentence of its own answer; that sentence is the source's recorded text.
    quote: "heat pumps keep working well below freezing",
  },
  {
    provider: "anthropic",
    model: "anthropic:claude-sonnet-4-5",
    keys: (url: string) => ({ ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: url }),
    // Anthropic cites the page's own words.
    quote: "still delivered a coefficient of performance of 1.9",
  },
]) {
  test(`${provider}: research searches with the hosted web search, says so, and verifies notes against its cited passages`, async () => {
    const server = await startFakeOpenAIServer(researcher(quote));
    const home = temporaryHome();
    try {
      const result = await research({ PONDER_HOME: home.path, ...keys(server.baseURL) }, ["-m", model]);
      assert.equal(result.code, 0, result.stderr);
      const label = provider === "openai" ? "OpenAI's hosted web search" : "Anthropic's hosted web search";
      assert.match(result.stderr, new RegExp(`searching: ${label}\\n`));
      assert.match(result.stderr, /citation check: 1 claims, 1 verified, 0 dropped; 1 sources read/);
      assert.ok(result.stdout.includes(`](${page})`), result.stdout);
      assert.ok(
        server.requests.some((request) => hostedTool(request.body)),
        "the hosted search ran",
      );
    } finally {
      await server.close();
      home.remove();
    }
  });
}

test("a research whose notes cannot be verified is not completed: exit 1, and the reason is said", async () => {
  const server = await startFakeOpenAIServer(researcher("a sentence that no search result ever cited"));
  const home = temporaryHome();
  const env = { PONDER_HOME: home.path, OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL };
  try {
    const result = await research(env, ["-m", "openai:gpt-5-mini", "--json"]);
    assert.equal(result.code, 1, result.stderr);
    const json = JSON.parse(result.stdout);
    assert.equal(json.status, "failed");
    assert.deepEqual(json.search.searched, ["OpenAI's hosted web search"]);
    assert.match(json.failure, /No claim could be checked against a source that was read \(1 claimed, 1 sources read/);
    const runs = JSON.parse((await runCli(["runs", "--json"], env)).stdout) as {
      status: string;
      error: { code: string } | null;
      parent_id: string | null;
    }[];
    const parent = runs.find((run) => run.parent_id === null);
    assert.equal(parent?.status, "failed");
    assert.equal(parent?.error?.code, "no_verified_evidence");
  } finally {
    await server.close();
    home.remove();
  }
});

test("with no web search and an empty local index, research refuses with the fix (exit 2) and stores nothing", async () => {
  const server = await startFakeOpenAIServer(researcher("unused"));
  const home = temporaryHome();
  // OpenAI over Chat Completions: no hosted web search.
  const env = { PONDER_HOME: home.path, OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL, PONDER_OPENAI_API: "chat" };
  try {
    const result = await research(env, ["-m", "openai:gpt-5-mini"]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /Research needs somewhere to search/);
    assert.match(result.stderr, /their hosted web search needs no other key/);
    assert.match(result.stderr, /ponder index add <folder>/);
    assert.equal(server.requests.length, 0, "no model was asked");
    assert.deepEqual(JSON.parse((await runCli(["runs", "--json"], env)).stdout), []);
  } finally {
    await server.close();
    home.remove();
  }
});
