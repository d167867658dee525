import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runDoctorChecks } from "../../src/cli/commands/doctor.js";
import type { DoctorResult } from "../../src/cli/doctor/doctor-check.js";
import { closedPort } from "../support/closed-port.js";
import { startFakeOpenAIServer } from "../support/fake-openai-server.js";
import { temporaryHome } from "../support/temporary-home.js";

const doctorModule = fileURLToPath(new URL("../../src/cli/commands/doctor.js", import.meta.url));

/** `ponder doctor <args>` in a child process with only the given environment (plus PATH). */
function runDoctor(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string }> {
  const script = `const { doctorCommand } = await import(${JSON.stringify(doctorModule)}); process.exitCode = await doctorCommand(${JSON.stringify(args)});`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: env.PONDER_HOME ?? "/nonexistent", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout })));
}

function find(results: DoctorResult[], check: string): DoctorResult {
  const result = results.find((candidate) => candidate.check.startsWith(check));
  assert.ok(result, `no "${check}" check in ${results.map((candidate) => candidate.check).join(", ")}`);
  return result;
}

test("on this machine the sandbox, Python packages, Chromium, Redis, PostgreSQL and a configured provider all pass", async () => {
  const server = await startFakeOpenAIServer(() => ({ text: "OK" }));
  const home = temporaryHome();
  try {
    mkdirSync(join(home.path, "models"));
    writeFileSync(join(home.path, "models", "tiny.gguf"), "GGUF");
    const results = await runDoctorChecks({ PONDER_HOME: home.path, PONDER_COMPAT_BASE_URL: server.baseURL, HOME: home.path }, home.path);
    for (const check of [
      "Python sandbox",
      "Python sandbox limits",
      "Python packages",
      "Chromium",
      "Redis",
      "PostgreSQL",
      "Model compat:fake-model",
      "Local model cache",
    ]) {
      const result = find(results, check);
      assert.equal(result.ok, true, `${check}: ${result.detail}`);
      assert.equal(result.fix, "");
    }
    assert.match(find(results, "Python packages").detail, /numpy .*pandas .*matplotlib .*scipy .*sympy .*sklearn .*statsmodels /);
    assert.match(find(results, "Python sandbox limits").detail, /per sandbox: cgroup v[12] .*nested user namespaces denied/);
    assert.match(find(results, "Local model cache").detail, /tiny\.gguf/);
    // The ping is one small non-streaming request to the configured model.
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0]?.body.model, "fake-model");
  } finally {
    await server.close();
    home.remove();
  }
});

test("an unreachable provider fails a required check with a fix, and --json exits 1", async () => {
  const server = await startFakeOpenAIServer(() => ({ text: "OK" }));
  const home = temporaryHome();
  try {
    const downPort = await closedPort();
    const configPath = join(home.path, "ponder.config.json");
    writeFileSync(configPath, JSON.stringify({ providers: { down: { baseURL: `http://127.0.0.1:${downPort}/v1` } } }));
    const { code, stdout } = await runDoctor(["--json", "--config", configPath], {
      PONDER_HOME: home.path,
      PONDER_COMPAT_BASE_URL: server.baseURL,
      REDIS_URL: `redis://127.0.0.1:${downPort}`,
    });
    assert.equal(code, 1);
    const results = JSON.parse(stdout) as DoctorResult[];
    for (const result of results) assert.deepEqual(Object.keys(result).sort(), ["check", "detail", "fix", "ok", "required"]);
    assert.equal(find(results, "Model compat:fake-model").ok, true);
    const down = find(results, "Model down:");
    assert.equal(down.ok, false);
    assert.equal(down.required, true);
    assert.notEqual(down.fix, "");
    const redis = find(results, "Redis");
    assert.equal(redis.ok, false);
    assert.equal(redis.required, false);
    assert.match(redis.detail, new RegExp(`127\\.0\\.0\\.1:${downPort} \\(REDIS_URL\\): connection refused`));
    assert.match(redis.fix, /REDIS_URL/);
  } finally {
    await server.close();
    home.remove();
  }
});

test("optional failures do not fail the exit code; the text output marks each check and says which are required", async () => {
  const server = await startFakeOpenAIServer(() => ({ text: "OK" }));
  const home = temporaryHome();
  try {
    const { code, stdout } = await runDoctor([], {
      PONDER_HOME: home.path,
      PONDER_COMPAT_BASE_URL: server.baseURL,
      DATABASE_URL: `postgres://user:secret@127.0.0.1:${await closedPort()}/ponder`,
    });
    assert.equal(code, 0, stdout);
    assert.match(stdout, /^Required\n {2}✓ Python sandbox \(bubblewrap\)/);
    assert.match(stdout, /Optional\n/);
    assert.match(stdout, /✗ PostgreSQL \(shared run store\): 127\.0\.0\.1:\d+ \(DATABASE_URL\): connection refused/);
    assert.match(stdout, /→ Only needed for a run store shared by machines/);
    assert.match(stdout, /✗ Local model cache: no GGUF files in/);
    assert.match(stdout, /Everything Ponder needs works here\./);
    assert.doesNotMatch(stdout, /secret/);
  } finally {
    await server.close();
    home.remove();
  }
});

test("with no provider at all, the model check fails with the message that lists every way to configure one", async () => {
  const home = temporaryHome();
  try {
    const results = await runDoctorChecks({ PONDER_HOME: home.path, HOME: home.path }, home.path);
    const model = find(results, "Model provider");
    assert.equal(model.ok, false);
    assert.equal(model.required, true);
    assert.match(model.detail, /No model is configured/);
    assert.match(model.fix, /OPENAI_API_KEY or ANTHROPIC_API_KEY/);
  } finally {
    home.remove();
  }
});
