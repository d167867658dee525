// A 5xx is logged for the operator (the request, the error and its stack, as a JSON line),
// while the client gets only the message.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { configureLogging } from "../../src/logging/logger.js";
import { startPonderServer } from "../../src/server/ponder-server.js";
import { startFaultyProvider } from "../support/faulty-provider.js";
import { temporaryHome } from "../support/temporary-home.js";

// The level asked in the environment would override the one this test chooses.
delete process.env.PONDER_LOG;
const lines: string[] = [];
configureLogging({ format: "json", level: "info", output: { write: (text: string) => lines.push(text) } });
after(() => configureLogging({ format: "json", output: process.stderr }));

test("a request answered with a 5xx is logged as JSON with its method, path, status and the error's stack", async () => {
  const home = temporaryHome();
  const provider = await startFaultyProvider(() => "garbage");
  writeFileSync(join(home.path, "config.json"), JSON.stringify({ tools: [], modelCalls: { maxAttempts: 1 } }));
  const env = { PONDER_HOME: home.path, OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: provider.baseURL, PONDER_MODEL: "openai:gpt-5-mini" };
  const server = await startPonderServer({ port: 0, host: "127.0.0.1", env, cwd: home.path });
  try {
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "openai:gpt-5-mini", messages: [{ role: "user", content: "What is the answer?" }] }),
    });
    assert.equal(response.status, 502);
    const body = (await response.json()) as { error: { message: string } };
    assert.doesNotMatch(body.error.message, /\n\s+at /, "the client is not shown a stack");
    const entries = lines.map(
      (line) =>
        JSON.parse(line) as { level: string; component: string; method: string; url: string; status: number; err?: { stack: string } },
    );
    const logged = entries.find((entry) => entry.component === "server" && entry.status === 502);
    assert.ok(logged, lines.join(""));
    assert.equal(logged.level, "error");
    assert.equal(logged.method, "POST");
    assert.equal(logged.url, "/v1/chat/completions");
    assert.match(logged.err?.stack ?? "", /\n\s+at /);
  } finally {
    await server.close();
    await provider.close();
    home.remove();
  }
});
