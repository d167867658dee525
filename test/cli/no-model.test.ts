import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { closedPort } from "../support/closed-port.js";
import { cliInTerminal } from "../support/pseudo-terminal.js";
import { runCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";

// No key, no model named, no Ollama (its port is closed): nothing can answer yet.
async function withNothingConfigured(body: (env: Record<string, string>, home: string) => Promise<void>): Promise<void> {
  const home = temporaryHome();
  try {
    await body({ PONDER_HOME: home.path, OLLAMA_HOST: `127.0.0.1:${await closedPort()}` }, home.path);
  } finally {
    home.remove();
  }
}

const waysToConfigure = [/OPENAI_API_KEY or ANTHROPIC_API_KEY/, /Ollama/, /local:\/path\/to\/model\.gguf/, /--model local:default/];

test("without a terminal, no model configured: a short list of the ways to configure one, exit 2, and no download", () =>
  withNothingConfigured(async (env, home) => {
    const result = await runCli(["ask", "What is 2 + 2?"], env);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^ponder: No model is configured/);
    for (const way of waysToConfigure) assert.match(result.stderr, way);
    assert.doesNotMatch(result.stderr, /fetch failed|Download|\n\s+at /);
    assert.ok(!existsSync(join(home, "models")) || readdirSync(join(home, "models")).length === 0, "nothing was downloaded");
  }));

test("in a terminal, the embedded default is offered by name and size; no declines it and lists the other ways (exit 2)", () =>
  withNothingConfigured(async (env) => {
    const terminal = cliInTerminal(["ask", "What is 2 + 2?"], env);
    await terminal.waitFor(
      /Download the default local model, Qwen3 1\.7B \(Q8_0 GGUF, about 1\.8 GB\), into .*models and use it\? \[y\/N\]/,
    );
    for (const way of waysToConfigure) assert.match(terminal.screen(), way);
    terminal.type("n\r");
    assert.equal(await terminal.exited, 2, terminal.screen());
    assert.match(terminal.screen(), /the download was declined/);
  }));

test("in a terminal, Ctrl-C at the download offer cancels: exit 130", () =>
  withNothingConfigured(async (env) => {
    const terminal = cliInTerminal(["ask", "What is 2 + 2?"], env);
    await terminal.waitFor(/\[y\/N\]/);
    terminal.type("\x03");
    assert.equal(await terminal.exited, 130, terminal.screen());
    assert.match(terminal.screen(), /Cancelled\./);
  }));

test("a local model without node-llama-cpp installed (an optional peer): the install command, exit 2, and no run", () =>
  withNothingConfigured(async (env, home) => {
    const withoutLlama = fileURLToPath(new URL("../../../test/support/without-llama.mjs", import.meta.url));
    const model = join(home, "model.gguf");
    writeFileSync(model, "GGUF");
    const environment = { ...env, NODE_OPTIONS: `--import=${withoutLlama}` };
    const result = await runCli(["ask", "--model", `local:${model}`, "What is 2 + 2?"], environment);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(
      result.stderr,
      "ponder: Local models need the node-llama-cpp package, which is not installed.\n" +
        "Install it next to Ponder: `npm install -g node-llama-cpp@3.21.1` (for a global Ponder) or `npm install node-llama-cpp@3.21.1` (in the project that depends on Ponder).\n",
    );
    assert.deepEqual(JSON.parse((await runCli(["runs", "--json"], env)).stdout), []);
  }));
