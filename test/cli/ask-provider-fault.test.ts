// `ponder ask` against a provider that fails in ways the model cannot be blamed for: the run is
// failed (never completed with a made-up answer), the command exits 1 with a clear message, and
// the failure says what went wrong. Tiny timeouts and retry waits come from the config file.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { startFaultyProvider, type ProviderFault } from "../support/faulty-provider.js";
import { runCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";

const config = { modelCalls: { idleTimeoutMs: 500, maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 1 } };

const cases: { fault: ProviderFault; api: "responses" | "chat"; message: RegExp }[] = [
  {
    fault: "garbage",
    api: "chat",
    message: /The openai stream for gpt-5-mini ended without any output \(an empty or unreadable stream\)\. \(failed 2 times in a row\)/,
  },
  { fault: "empty-stream", api: "responses", message: /ended without any output.*\(failed 2 times in a row\)/ },
  {
    fault: "never-answers",
    api: "chat",
    message: /timed out: the server sent nothing within the idle timeout.*\(failed 2 times in a row\)/,
  },
];

for (const { fault, api, message } of cases) {
  test(`ponder ask against a provider that sends ${fault} (${api}): the run fails, exit 1, one clear message`, async () => {
    const provider = await startFaultyProvider(() => fault);
    const home = temporaryHome();
    writeFileSync(join(home.path, "config.json"), JSON.stringify(config));
    const env = { PONDER_HOME: home.path, OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: provider.baseURL, PONDER_OPENAI_API: api };
    try {
      const result = await runCli(["ask", "--model", "openai:gpt-5-mini", "--effort", "medium", "--tools", "", "What is the answer?"], env);
      assert.equal(result.code, 1, result.stderr);
      assert.equal(result.stdout, "", "no answer is printed");
      assert.match(result.stderr, /Failed: /);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
      assert.equal(provider.requests, 2, "one call and one retry");
      const runs = await runCli(["runs", "--json"], env);
      const [run] = JSON.parse(runs.stdout) as { status: string; error?: { code: string } }[];
      assert.equal(run?.status, "failed");
      assert.equal(run?.error?.code, "model_call_failed");
    } finally {
      await provider.close();
      home.remove();
    }
  });
}
