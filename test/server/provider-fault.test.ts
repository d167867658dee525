// A provider fault reaches an API client as an upstream error it can tell from an answer: Chat
// Completions answers 502 with a JSON error whose code is model_call_failed; the Responses API
// answers a response whose status is failed, with the same error. Never a completed answer.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startPonderServer, type PonderServer } from "../../src/server/ponder-server.js";
import { type FaultyProvider, startFaultyProvider } from "../support/faulty-provider.js";
import { temporaryHome } from "../support/temporary-home.js";

const home = temporaryHome();
let provider: FaultyProvider;
let server: PonderServer;

before(async () => {
  provider = await startFaultyProvider(() => "garbage");
  writeFileSync(
    join(home.path, "config.json"),
    JSON.stringify({ tools: [], modelCalls: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 1 } }),
  );
  const env = { PONDER_HOME: home.path, OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: provider.baseURL, PONDER_MODEL: "openai:gpt-5-mini" };
  server = await startPonderServer({ port: 0, host: "127.0.0.1", env, cwd: home.path });
});

after(async () => {
  await server.close();
  await provider.close();
  home.remove();
});

const post = (path: string, body: unknown) =>
  fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

test("POST /v1/chat/completions: 502 with a JSON error, code model_call_failed", async () => {
  const response = await post("/v1/chat/completions", {
    model: "openai:gpt-5-mini",
    messages: [{ role: "user", content: "What is the answer?" }],
  });
  assert.equal(response.status, 502);
  const body = (await response.json()) as { error: { code: string; message: string; type: string } };
  assert.equal(body.error.code, "model_call_failed");
  assert.equal(body.error.type, "upstream_error");
  assert.match(body.error.message, /could not read: Invalid JSON response \(failed 2 times in a row\)/);
});

test("POST /v1/responses: a failed response carrying the error, no output", async () => {
  const response = await post("/v1/responses", { model: "openai:gpt-5-mini", input: "What is the answer?" });
  const body = (await response.json()) as { status: string; output: unknown[]; error: { code: string } };
  assert.equal(body.status, "failed");
  assert.deepEqual(body.output, []);
  assert.equal(body.error.code, "model_call_failed");
});
