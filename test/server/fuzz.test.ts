import { test } from "node:test";
import assert from "node:assert/strict";
import { conversationBodyBytes } from "../../src/server/request-body.js";
import { startServerFixture } from "./server-fixture.js";

/** A small deterministic generator, so a failure can be replayed from its seed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  return { next, pick };
}

const paths = [
  "/v1/models",
  "/v1/chat/completions",
  "/v1/responses",
  "/v1/responses/run_x",
  "/v1/responses/run_x/cancel",
  "/v1/runs",
  "/v1/runs/run_x",
  "/v1/runs/run_x/events",
  "/v1/runs/run_x/approve",
  "/v1/runs/run_x/deny",
  "/v1/runs/run_x/steer",
  "/v1/runs/run_x/cancel",
  "/v1/runs/run_x/artifacts/art_x",
  "/v1/runs/%E0%A4%A",
  "/v1/runs?status=%",
  "/v1/runs?limit=-5",
  "/v1//runs",
  "/",
  "/v1/runs/../../etc/passwd",
];
const methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];
const values = [
  null,
  true,
  0,
  -1,
  1e308,
  "",
  "x".repeat(300),
  [],
  {},
  [1, "a"],
  { nested: { deep: [null] } },
  "ponder/openai:gpt-5-mini",
  "ponder",
  "gpt-4o",
  "high",
  "xhigh",
];
const keys = [
  "model",
  "messages",
  "input",
  "stream",
  "background",
  "reasoning",
  "reasoning_effort",
  "effort",
  "budget",
  "metadata",
  "message",
  "call_id",
  "reason",
  "instructions",
  "__proto__",
  "constructor",
];

function randomValue(generator: ReturnType<typeof random>, depth = 0): unknown {
  const roll = generator.next();
  if (depth < 2 && roll < 0.15)
    return Object.fromEntries(
      Array.from({ length: 1 + Math.floor(generator.next() * 3) }, () => [generator.pick(keys), randomValue(generator, depth + 1)]),
    );
  if (depth < 2 && roll < 0.25) return Array.from({ length: Math.floor(generator.next() * 3) }, () => randomValue(generator, depth + 1));
  if (roll < 0.35) return [{ role: generator.pick(["user", "system", "tool", "robot"]), content: generator.pick(values) }];
  return generator.pick(values);
}

function randomBody(generator: ReturnType<typeof random>): string | undefined {
  const roll = generator.next();
  if (roll < 0.1) return undefined;
  if (roll < 0.2)
    return generator.pick([
      "{",
      "not json",
      "[]",
      "null",
      "\u0000\u0001",
      '{"model": "ponder", "messages": [{"role": "user", "content": "hi"}]}',
    ]);
  const body: Record<string, unknown> = {};
  for (let index = 0; index < 1 + generator.next() * 5; index++) body[generator.pick(keys)] = randomValue(generator);
  return JSON.stringify(body);
}

test("no request, however malformed, gets a 5xx; every error is JSON", async () => {
  const fixture = await startServerFixture(() => ({ text: "ok" }));
  const generator = random(20_260_601);
  try {
    for (let index = 0; index < 400; index++) {
      const method = generator.pick(methods);
      const path = generator.pick(paths);
      const body = method === "GET" ? undefined : randomBody(generator);
      const headers: Record<string, string> = {
        "content-type": generator.pick(["application/json", "text/plain", "multipart/form-data; boundary=x"]),
      };
      if (generator.next() < 0.2) headers["last-event-id"] = generator.pick(["-1", "abc", "99999999999999999999", "3"]);
      if (generator.next() < 0.2)
        headers.authorization = generator.pick(["Bearer", "Bearer a.b", "Basic xyz", "Bearer .", "Bearer key_.x"]);
      // What browsers add, forged or not: refused or accepted, never a 5xx.
      if (generator.next() < 0.1)
        headers.origin = generator.pick(["null", "http://evil.example", fixture.server.url, "not a url", "http://[::1"]);
      if (generator.next() < 0.1) headers["sec-fetch-site"] = generator.pick(["cross-site", "same-site", "same-origin", "none", "?"]);
      if (generator.next() < 0.1) headers["content-encoding"] = generator.pick(["gzip", "identity", "IDENTITY ", "br, gzip"]);
      const response = await fetch(`${fixture.server.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await response.text();
      const where = `${method} ${path} ${body ?? ""}`;
      assert.ok(response.status < 500, `${response.status} for ${where}: ${text}`);
      const contentType = response.headers.get("content-type") ?? "";
      if (contentType.startsWith("text/event-stream")) continue;
      // The web UI's pages live outside /v1/ (fetch resolves `/v1/runs/../../x` to `/x`); the API is JSON.
      if (contentType.startsWith("text/html")) {
        assert.ok(!new URL(response.url).pathname.startsWith("/v1/"), `HTML from the API for ${where}`);
        continue;
      }
      const parsed = JSON.parse(text) as { error?: { message: string; type: string } };
      if (response.status >= 400)
        assert.ok(parsed.error && typeof parsed.error.message === "string" && typeof parsed.error.type === "string", where);
    }
    const tooLarge = await fetch(`${fixture.server.url}/v1/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      // Runs may carry files, so their bodies may be as large as a conversation's.
      body: JSON.stringify({ input: "x".repeat(conversationBodyBytes + 1) }),
    });
    assert.equal(tooLarge.status, 413);
  } finally {
    await fixture.close();
  }
});
