import { test } from "node:test";
import assert from "node:assert/strict";
import { ToolError, ToolInfraError } from "../../../src/core/errors.js";
import { createWebSearchTool } from "../../../src/tools/web/search/web-search-tool.js";
import { defaultSearchRetry, searchSettingsFrom, type SearchSettings } from "../../../src/tools/web/search/search-settings.js";
import {
  callTool,
  startFakeSearchServer,
  textOf,
  type FakeAnswer,
  type FakeSearchServer,
  type ReceivedRequest,
} from "./search-test-support.js";

type Backend = "searxng" | "brave" | "tavily" | "exa";

// Each service's documented answer shape, with two results (one with markup in its snippet).
const answers: Record<Backend, unknown> = {
  searxng: {
    query: "q",
    number_of_results: 2,
    results: [
      {
        url: "https://example.org/rust",
        title: "Rust &amp; memory safety",
        content: "Ownership and <b>borrowing</b>.",
        engine: "duckduckgo",
        score: 1.2,
        publishedDate: "2024-05-01T00:00:00",
      },
      { url: "https://example.org/go", title: "Go", content: "Garbage collected.", engine: "bing" },
      { url: "https://example.org/rust", title: "duplicate", content: "same URL again" },
    ],
    answers: [],
    suggestions: [],
    unresponsive_engines: [],
  },
  brave: {
    type: "search",
    query: { original: "q" },
    web: {
      type: "search",
      results: [
        {
          title: "Rust &amp; memory safety",
          url: "https://example.org/rust",
          description: "Ownership and <strong>borrowing</strong>.",
          page_age: "2024-05-01T00:00:00",
          extra_snippets: ["More on lifetimes."],
        },
        { title: "Go", url: "https://example.org/go", description: "Garbage collected.", age: "2 days ago" },
      ],
    },
  },
  tavily: {
    query: "q",
    answer: null,
    results: [
      {
        title: "Rust &amp; memory safety",
        url: "https://example.org/rust",
        content: "Ownership and <b>borrowing</b>.",
        score: 0.9,
        published_date: "2024-05-01",
      },
      { title: "Go", url: "https://example.org/go", content: "Garbage collected.", score: 0.5 },
    ],
    response_time: 0.5,
  },
  exa: {
    requestId: "r1",
    results: [
      {
        id: "1",
        title: "Rust &amp; memory safety",
        url: "https://example.org/rust",
        publishedDate: "2024-05-01T00:00:00.000Z",
        highlights: ["Ownership and borrowing."],
        highlightScores: [0.4],
      },
      { id: "2", title: "Go", url: "https://example.org/go", text: "Garbage collected." },
    ],
  },
};

const emptyAnswers: Record<Backend, unknown> = {
  searxng: { query: "q", results: [], unresponsive_engines: [] },
  brave: { type: "search", web: { results: [] } },
  tavily: { query: "q", results: [] },
  exa: { results: [] },
};

const paths: Record<Backend, string> = { searxng: "/search", brave: "/res/v1/web/search", tavily: "/search", exa: "/search" };

function settingsFor(backend: Backend, url: string, overrides: Partial<SearchSettings> = {}): SearchSettings {
  const env = { SEARXNG_URL: url, BRAVE_API_KEY: "brave-key", TAVILY_API_KEY: "tvly-key", EXA_API_KEY: "exa-key" };
  const settings = searchSettingsFrom({ backend, ...(backend === "searxng" ? {} : { [backend]: { url } }) }, env, "/unused");
  return { ...settings, retry: { ...defaultSearchRetry, initialDelayMs: 10, maxDelayMs: 20 }, ...overrides } as SearchSettings;
}

async function withServer(
  answer: (request: ReceivedRequest, index: number) => FakeAnswer,
  body: (server: FakeSearchServer) => Promise<void>,
) {
  const server = await startFakeSearchServer(answer);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

const backends: Backend[] = ["searxng", "brave", "tavily", "exa"];

for (const backend of backends) {
  test(`${backend}: sends the documented request and numbers clean, wrapped results`, async () => {
    await withServer(
      () => ({ body: answers[backend] }),
      async (server) => {
        const tool = createWebSearchTool(settingsFor(backend, server.url));
        assert.equal(tool.effects, "external");
        const text = textOf(await callTool(tool, { query: "rust memory safety", max_results: 3 }));
        assert.match(text, /^2 results for "rust memory safety" from /);
        assert.match(text, /<untrusted_content origin="web_search: /);
        assert.match(text, /\[1\] Rust & memory safety\nURL: https:\/\/example\.org\/rust\n/);
        assert.match(text, /Ownership and borrowing\./);
        assert.match(text, /\[2\] Go\nURL: https:\/\/example\.org\/go/);
        assert.doesNotMatch(text, /<strong>|<b>|duplicate/);

        const [request] = server.requests;
        assert.equal(request?.path, paths[backend]);
        const body = (request?.body ?? {}) as Record<string, unknown>;
        if (backend === "searxng")
          assert.deepEqual([request?.query.get("q"), request?.query.get("format")], ["rust memory safety", "json"]);
        if (backend === "brave") {
          assert.deepEqual(
            [request?.query.get("q"), request?.query.get("count"), request?.headers["x-subscription-token"]],
            ["rust memory safety", "3", "brave-key"],
          );
          assert.match(text, /More on lifetimes/);
        }
        if (backend === "tavily") {
          assert.equal(request?.headers.authorization, "Bearer tvly-key");
          assert.deepEqual([body.query, body.max_results], ["rust memory safety", 3]);
        }
        if (backend === "exa") {
          assert.equal(request?.headers["x-api-key"], "exa-key");
          assert.deepEqual([body.query, body.numResults], ["rust memory safety", 3]);
        }
      },
    );
  });

  test(`${backend}: a 429 is retried after its Retry-After, then succeeds`, async () => {
    await withServer(
      (_request, index) =>
        index === 0 ? { status: 429, headers: { "retry-after": "0" }, body: { message: "slow down" } } : { body: answers[backend] },
      async (server) => {
        const text = textOf(await callTool(createWebSearchTool(settingsFor(backend, server.url)), { query: "rust" }));
        assert.match(text, /^2 results/);
        assert.equal(server.requests.length, 2);
      },
    );
  });

  test(`${backend}: a server that keeps failing with 500 is reported after bounded retries`, async () => {
    await withServer(
      () => ({ status: 500, body: { error: "internal trouble" } }),
      async (server) => {
        await assert.rejects(callTool(createWebSearchTool(settingsFor(backend, server.url)), { query: "rust" }), (error: unknown) => {
          assert.ok(error instanceof ToolInfraError);
          assert.match(error.message, /failed with HTTP 500: internal trouble \(3 attempts\)/);
          return true;
        });
        assert.equal(server.requests.length, 3);
      },
    );
  });

  test(`${backend}: a bad API key (401) says who must fix what, without retrying`, async () => {
    await withServer(
      () => ({ status: 401, body: { detail: { error: "Unauthorized: missing or invalid API key." } } }),
      async (server) => {
        await assert.rejects(callTool(createWebSearchTool(settingsFor(backend, server.url)), { query: "rust" }), (error: unknown) => {
          assert.ok(error instanceof ToolInfraError);
          assert.match(
            error.message,
            /refused the request \(HTTP 401: Unauthorized: missing or invalid API key\.\)\. Searching again will not help: the user must/,
          );
          assert.match(error.message, backend === "searxng" ? /settings\.yml/ : new RegExp(`${backend.toUpperCase()}_API_KEY`));
          return true;
        });
        assert.equal(server.requests.length, 1);
      },
    );
  });

  test(`${backend}: no results is an answer that suggests rephrasing`, async () => {
    await withServer(
      () => ({ body: emptyAnswers[backend] }),
      async (server) => {
        const text = textOf(await callTool(createWebSearchTool(settingsFor(backend, server.url)), { query: "qwxz" }));
        assert.match(text, /^No results for "qwxz" from .+\. Rephrase the query/);
      },
    );
  });
}

test("a service slower than the timeout is reported as not answering", async () => {
  await withServer(
    () => ({ delayMs: 5_000, body: answers.brave }),
    async (server) => {
      await assert.rejects(
        callTool(createWebSearchTool(settingsFor("brave", server.url, { timeoutMs: 200 })), { query: "rust" }),
        /Brave Search did not answer within 200 ms/,
      );
      assert.equal(server.requests.length, 1, "timeouts are not retried");
    },
  );
});

test("a Retry-After longer than the policy allows is reported at once", async () => {
  await withServer(
    () => ({ status: 429, headers: { "retry-after": "3600" } }),
    async (server) => {
      await assert.rejects(
        callTool(createWebSearchTool(settingsFor("tavily", server.url)), { query: "rust" }),
        /rate limiting these searches \(HTTP 429\) and asked to wait 3600 s/,
      );
      assert.equal(server.requests.length, 1);
    },
  );
});

test("cancelling during a retry wait stops the search at once", async () => {
  await withServer(
    () => ({ status: 503, headers: { "retry-after": "8" } }),
    async (server) => {
      const controller = new AbortController();
      const search = callTool(createWebSearchTool(settingsFor("exa", server.url)), { query: "rust" }, controller.signal);
      while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      controller.abort();
      await assert.rejects(search, { name: "AbortError" });
      assert.equal(server.requests.length, 1);
    },
  );
});

test("Brave's 422 for an invalid subscription token counts as a refused key; other 422s ask to rephrase", async () => {
  const invalidToken = {
    type: "ErrorResponse",
    error: { code: "SUBSCRIPTION_TOKEN_INVALID", detail: "The provided subscription token is invalid.", status: 422 },
  };
  await withServer(
    (request) =>
      request.query.get("q") === "token"
        ? { status: 422, body: invalidToken }
        : { status: 422, body: { error: { detail: "Unable to validate request parameter(s)." } } },
    async (server) => {
      const tool = createWebSearchTool(settingsFor("brave", server.url));
      await assert.rejects(
        callTool(tool, { query: "token" }),
        (error: unknown) => error instanceof ToolInfraError && /BRAVE_API_KEY/.test(error.message),
      );
      await assert.rejects(
        callTool(tool, { query: "other" }),
        (error: unknown) => error instanceof ToolError && /Rephrase it/.test(error.message),
      );
    },
  );
});

test("SearXNG without JSON output (403) and with every engine failing say why", async () => {
  await withServer(
    (request) =>
      request.query.get("q") === "forbidden"
        ? { status: 403, body: "<html><body>403 Forbidden</body></html>" }
        : {
            body: {
              results: [],
              unresponsive_engines: [
                ["google", "CAPTCHA"],
                ["bing", "timeout"],
              ],
            },
          },
    async (server) => {
      const tool = createWebSearchTool(settingsFor("searxng", server.url));
      await assert.rejects(callTool(tool, { query: "forbidden" }), /HTTP 403: 403 Forbidden\)[\s\S]*search\.formats/);
      await assert.rejects(callTool(tool, { query: "engines" }), /engines did not answer \(google: CAPTCHA; bing: timeout\)/);
    },
  );
});

test("a service that is not running is named with its address", async () => {
  const server = await startFakeSearchServer(() => ({}));
  const url = server.url;
  await server.close();
  await assert.rejects(
    callTool(createWebSearchTool(settingsFor("searxng", url)), { query: "rust" }),
    new RegExp(`Could not reach SearXNG at ${url.replaceAll(".", "\\.")} \\(ECONNREFUSED\\)`),
  );
});

test("an answer that is not JSON is reported as a service fault", async () => {
  await withServer(
    () => ({ body: "<html>maintenance</html>" }),
    async (server) => {
      await assert.rejects(
        callTool(createWebSearchTool(settingsFor("exa", server.url)), { query: "rust" }),
        /Exa answered with something that is not JSON: "<html>maintenance<\/html>"/,
      );
    },
  );
});
