import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ModelCallError } from "../../src/core/errors.js";
import { resolveModel } from "../../src/models/resolve-model.js";
import {
  type RetryNotice,
  defaultRetryPolicy,
  isRetryableStatus,
  retryDelayMs,
  shouldRetry,
  streamWithRetry,
} from "../../src/models/retry.js";
import { ScriptedModel } from "../../src/models/scripted-model.js";
import { closedPort } from "../support/closed-port.js";
import { type FakeTurn, startFakeOpenAIServer } from "../support/fake-openai-server.js";
import { drain, modelRequest } from "./turn-helpers.js";

async function withServer<T>(turns: FakeTurn[], body: (baseURL: string) => Promise<T>) {
  const server = await startFakeOpenAIServer(turns);
  try {
    return { result: await body(server.baseURL), requests: server.requests };
  } finally {
    await server.close();
  }
}

const openai = (baseURL: string) => resolveModel("openai:gpt-4o-mini", { openai: { apiKey: "key", baseURL, api: "chat" } });

describe("streamWithRetry over HTTP", () => {
  it("waits for Retry-After on a 429, tells onRetry, then succeeds", async () => {
    const notices: RetryNotice[] = [];
    const started = Date.now();
    const { result, requests } = await withServer([{ status: 429, headers: { "Retry-After": "1" } }, { text: "Finally." }], (baseURL) =>
      drain(streamWithRetry(openai(baseURL), modelRequest(), { onRetry: (notice) => notices.push(notice) })),
    );
    const waited = Date.now() - started;
    assert.equal(result.text, "Finally.");
    assert.equal(requests.length, 2);
    assert.ok(waited >= 950 && waited < 3000, `waited ${waited} ms`);
    assert.equal(notices.length, 1);
    assert.equal(notices[0]?.attempt, 1);
    assert.equal(notices[0]?.delayMs, 1000);
    assert.equal(notices[0]?.error.status, 429);
    assert.match(notices[0]?.reason ?? "", /429/);
  });

  it("retries a 500 and then succeeds", async () => {
    const { result, requests } = await withServer([{ status: 500 }, { text: "Recovered." }], (baseURL) =>
      drain(streamWithRetry(openai(baseURL), modelRequest(), { initialDelayMs: 5 })),
    );
    assert.equal(result.text, "Recovered.");
    assert.equal(requests.length, 2);
  });

  it("retries an Anthropic overload (529) reported inside the stream", async () => {
    const server = await startFakeOpenAIServer([
      { text: "Half an answer", streamError: { afterEvents: 4, type: "overloaded_error", message: "Overloaded" } },
      { text: "Whole answer." },
    ]);
    try {
      const client = resolveModel("anthropic:claude-haiku-4-5", { anthropic: { apiKey: "k", baseURL: server.baseURL } });
      const notices: RetryNotice[] = [];
      const turn = await drain(streamWithRetry(client, modelRequest(), { initialDelayMs: 5, onRetry: (notice) => notices.push(notice) }));
      assert.equal(turn.finish.items.length, 1);
      assert.equal(notices[0]?.error.status, 529);
      assert.equal(notices[0]?.discardedPartialOutput, true, "deltas of the failed attempt were already shown");
      assert.ok(turn.text.endsWith("Whole answer."));
    } finally {
      await server.close();
    }
  });

  it("retries the whole turn when the connection resets mid-stream", async () => {
    const notices: RetryNotice[] = [];
    const { result, requests } = await withServer(
      [{ text: "This answer will be cut off", dropConnectionAfterEvents: 3 }, { text: "Second try." }],
      (baseURL) =>
        drain(streamWithRetry(openai(baseURL), modelRequest(), { initialDelayMs: 5, onRetry: (notice) => notices.push(notice) })),
    );
    assert.equal(requests.length, 2);
    assert.equal(notices[0]?.discardedPartialOutput, true);
    assert.equal(notices[0]?.error.retryable, true);
    assert.deepEqual(result.finish.items, [
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "Second try." }] },
    ]);
  });

  it("does not retry a 400", async () => {
    const { requests } = await withServer([{ status: 400 }, { text: "never" }], async (baseURL) => {
      await assert.rejects(drain(streamWithRetry(openai(baseURL), modelRequest(), { initialDelayMs: 5 })), (error: unknown) => {
        assert.ok(error instanceof ModelCallError);
        assert.equal(error.status, 400);
        assert.equal(error.retryable, false);
        return true;
      });
    });
    assert.equal(requests.length, 1);
  });

  it("does not retry a 401, and says which key to check", async () => {
    const { requests } = await withServer(
      [
        {
          status: 401,
          errorBody: { error: { message: "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key" } },
        },
      ],
      async (baseURL) => {
        await assert.rejects(drain(streamWithRetry(openai(baseURL), modelRequest(), { initialDelayMs: 5 })), (error: unknown) => {
          assert.ok(error instanceof ModelCallError);
          assert.equal(error.status, 401);
          assert.match(error.message, /openai returned HTTP 401 for gpt-4o-mini: Incorrect API key provided/);
          assert.match(error.hint ?? "", /OPENAI_API_KEY/);
          return true;
        });
      },
    );
    assert.equal(requests.length, 1);
  });

  it("stops retrying when the next wait would pass the deadline", async () => {
    const started = Date.now();
    const { requests } = await withServer([{ status: 503, headers: { "Retry-After": "5" } }, { text: "too late" }], async (baseURL) => {
      await assert.rejects(drain(streamWithRetry(openai(baseURL), modelRequest(), { deadline: Date.now() + 1000 })), (error: unknown) => {
        assert.ok(error instanceof ModelCallError);
        assert.equal(error.status, 503);
        return true;
      });
    });
    assert.equal(requests.length, 1);
    assert.ok(Date.now() - started < 4000, "gave up instead of sleeping the 5 s Retry-After");
  });

  it("reports connection refused once, clearly, without retrying", async () => {
    const port = await closedPort();
    const client = resolveModel("compat:some-model", { compat: { baseURL: `http://127.0.0.1:${port}/v1` } });
    const notices: RetryNotice[] = [];
    await assert.rejects(
      drain(streamWithRetry(client, modelRequest(), { onRetry: (notice) => notices.push(notice) })),
      (error: unknown) => {
        assert.ok(error instanceof ModelCallError);
        assert.equal(error.retryable, false);
        assert.match(error.message, new RegExp(`provider at http://127\\.0\\.0\\.1:${port}/v1 is unreachable \\(connection refused\\)`));
        assert.match(error.hint ?? "", /running/);
        return true;
      },
    );
    assert.equal(notices.length, 0);
  });

  it("reports an unknown host as unreachable", async () => {
    const client = resolveModel("compat:some-model", { compat: { baseURL: "http://no-such-host.invalid/v1" } });
    await assert.rejects(drain(client.stream(modelRequest())), (error: unknown) => {
      assert.ok(error instanceof ModelCallError);
      assert.equal(error.retryable, false);
      assert.match(error.message, /no-such-host\.invalid\/v1 is unreachable \(unknown host\)/);
      return true;
    });
  });

  it("maps an error event inside a Responses stream to a retryable ModelCallError", async () => {
    const { result } = await withServer(
      [{ text: "Some words before it fails", streamError: { afterEvents: 6, type: "server_error", message: "The server had an error" } }],
      async (baseURL) => {
        const client = resolveModel("openai:gpt-4.1", { openai: { apiKey: "key", baseURL } });
        return drain(client.stream(modelRequest())).catch((error: unknown) => error);
      },
    );
    assert.ok(result instanceof ModelCallError);
    assert.equal(result.status, 500);
    assert.equal(result.retryable, true);
    assert.match(result.message, /The server had an error/);
  });
});

describe("retry policy", () => {
  it("lists what is retried and what never is", () => {
    for (const status of [408, 409, 429, 500, 502, 503, 504, 529]) assert.equal(isRetryableStatus(status), true, `${status}`);
    for (const status of [400, 401, 403, 404, 413, 422, 501]) assert.equal(isRetryableStatus(status), false, `${status}`);
    assert.equal(shouldRetry(new ModelCallError("bad", { status: 400, retryable: true })), false, "a never-retried status wins");
    assert.equal(shouldRetry(new DOMException("aborted", "AbortError")), false);
    assert.equal(shouldRetry(new TypeError("a bug")), false);
  });

  it("backs off exponentially with full jitter, capped, and honours Retry-After", () => {
    const error = new ModelCallError("overloaded", { status: 503, retryable: true });
    assert.equal(
      retryDelayMs(error, 1, defaultRetryPolicy, () => 0.999),
      999,
    );
    assert.equal(
      retryDelayMs(error, 3, defaultRetryPolicy, () => 0.5),
      2000,
    );
    assert.equal(
      retryDelayMs(error, 20, defaultRetryPolicy, () => 0.999),
      29_970,
    );
    const told = new ModelCallError("slow down", { status: 429, retryable: true, retryAfterMs: 1500 });
    assert.equal(
      retryDelayMs(told, 1, defaultRetryPolicy, () => 0),
      1500,
    );
    const tooLong = new ModelCallError("come back tomorrow", { status: 429, retryable: true, retryAfterMs: 86_400_000 });
    assert.equal(retryDelayMs(tooLong, 1, defaultRetryPolicy), undefined);
  });

  it("stops after maxAttempts and throws the last error, no longer retryable, saying how many attempts failed", async () => {
    const model = new ScriptedModel([{ error: { status: 500 } }, { error: { status: 502 } }, { error: { status: 503 } }, { text: "late" }]);
    await assert.rejects(drain(streamWithRetry(model, modelRequest(), { maxAttempts: 3, initialDelayMs: 1 })), (error: unknown) => {
      assert.ok(error instanceof ModelCallError);
      assert.equal(error.status, 503);
      assert.equal(error.retryable, false);
      assert.match(error.message, /\(failed 3 times in a row\)$/);
      return true;
    });
    assert.equal(model.requests.length, 3);
  });

  it("takes the client's configured policy (modelCalls) where the caller sets none", async () => {
    const model = Object.assign(new ScriptedModel([{ error: { status: 500 } }, { error: { status: 502 } }, { text: "late" }]), {
      retryPolicy: { maxAttempts: 2, initialDelayMs: 1 },
    });
    await assert.rejects(drain(streamWithRetry(model, modelRequest())), /failed 2 times in a row/);
    assert.equal(model.requests.length, 2);
  });

  it("stops waiting at once when the run is cancelled", async () => {
    const controller = new AbortController();
    const model = new ScriptedModel([{ error: { status: 429, retryAfterSeconds: 30 } }, { text: "never" }]);
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await assert.rejects(drain(streamWithRetry(model, modelRequest({ signal: controller.signal }))), { name: "AbortError" });
    assert.ok(Date.now() - started < 15_000, "the 30 s Retry-After wait was cut short");
  });
});
