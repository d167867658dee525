// Ponder's Chat Completions client over HTTPS (node:https, not its own plain-HTTP exchange) meets
// the same faults as over plain HTTP: a server that never answers or stops sending halfway is
// given up on at the idle timeout, retried, and the run fails with model_call_failed. The client
// trusts the test's certificate only through NODE_EXTRA_CA_CERTS, which Node reads when a process
// starts: the run happens in a child process, against a provider served by this one.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { type ProviderFault, startFaultyProvider } from "../support/faulty-provider.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../../test/fixtures/tls/${name}`, import.meta.url));
const tls = { key: readFileSync(fixture("tls-key.pem"), "utf8"), cert: readFileSync(fixture("tls-cert.pem"), "utf8") };
const module = (path: string) => JSON.stringify(new URL(path, import.meta.url).href);

/** Asks through Ponder's client in a child process that trusts the test certificate; returns the run's outcome. */
async function askInChild(baseURL: string): Promise<{ status: string; error?: { code: string; message: string } }> {
  const script = `
    const { ask } = await import(${module("../../src/library/ask.js")});
    const { resolveModel } = await import(${module("../../src/models/resolve-model.js")});
    const { temporaryHome } = await import(${module("../support/temporary-home.js")});
    const home = temporaryHome();
    const calls = { idleTimeoutMs: 500, retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 1 } };
    const model = resolveModel("compat:small", { compat: { baseURL: ${JSON.stringify(baseURL)} }, calls });
    const result = await ask("What is the answer?", { model, tools: [], home: home.path, env: {}, cwd: home.path });
    home.remove();
    console.log(JSON.stringify(result));`;
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NODE_EXTRA_CA_CERTS: fixture("tls-cert.pem") },
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) as string) as { status: string; error?: { code: string; message: string } };
}

describe("provider faults over HTTPS (Ponder's Chat Completions client)", { concurrency: true }, () => {
  for (const fault of ["never-answers", "stalls-mid-stream"] satisfies ProviderFault[]) {
    it(`${fault}: the idle timeout, retried, then the run fails with model_call_failed`, async () => {
      const provider = await startFaultyProvider(() => fault, undefined, { tls });
      try {
        const result = await askInChild(provider.baseURL);
        assert.equal(result.status, "failed");
        assert.equal(result.error?.code, "model_call_failed");
        assert.match(
          result.error?.message ?? "",
          /timed out: the server sent nothing within the idle timeout.*\(failed 2 times in a row\)/,
        );
        assert.equal(provider.requests, 2);
      } finally {
        await provider.close();
      }
    });
  }

  it("a good answer over HTTPS still arrives (the test certificate is trusted)", async () => {
    const provider = await startFaultyProvider(() => "good", undefined, { tls });
    try {
      const result = await askInChild(provider.baseURL);
      assert.equal(result.status, "completed", result.error?.message);
    } finally {
      await provider.close();
    }
  });
});
