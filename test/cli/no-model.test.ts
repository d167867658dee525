import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { closedPort } from "../support/closed-port.js";
import { startFakeModelHub } from "../support/fake-model-hub.js";
import { cliInTerminal } from "../support/pseudo-terminal.js";
import { runCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";
import { testModelPath } from "../support/test-models.js";

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

const testModel = testModelPath();

test(
  "in a terminal, yes downloads the default model with a progress bar, answers with it, and later runs use it without asking",
  { skip: testModel.skip },
  () =>
    withNothingConfigured(async (env, home) => {
      // The hub is local; the file it serves as Qwen3 1.7B is the test model (a real GGUF), so the
      // download is real and so is the model that answers after it.
      const hub = await startFakeModelHub({
        repository: "Qwen/Qwen3-1.7B-GGUF",
        tag: "Q8_0",
        fileName: "Qwen3-1.7B-Q8_0.gguf",
        path: testModel.path,
      });
      try {
        // One thread, greedy, short turns, one tool: quick on a busy machine.
        const local = { PONDER_LOCAL_THREADS: "1", PONDER_LOCAL_TEMPERATURE: "0", PONDER_LOCAL_MAX_OUTPUT_TOKENS: "48" };
        const environment = { ...env, ...local, HF_ENDPOINT: hub.endpoint };
        const question = ["ask", "--tools", "python", "--max-steps", "2", "What is 2 + 2?"];
        const terminal = cliInTerminal(question, environment);
        await terminal.waitFor(/\[y\/N\]/);
        terminal.type("y\r");
        assert.equal(await terminal.exited, 0, terminal.screen());
        assert.match(terminal.screen(), /Downloading to/);
        assert.match(terminal.screen(), /\d+(\.\d+)?%.*\(\d+(\.\d+)?MB\/98\.36MB\)/, "a progress bar with the size");
        assert.ok(hub.requests.includes("GET /v2/Qwen/Qwen3-1.7B-GGUF/manifests/Q8_0"), hub.requests.join("\n"));
        const downloaded = readdirSync(join(home, "models")).filter((name) => name.endsWith(".gguf"));
        assert.equal(downloaded.length, 1, downloaded.join(", "));
        assert.equal(statSync(join(home, "models", downloaded[0] as string)).size, statSync(testModel.path).size);
        const [run] = JSON.parse((await runCli(["runs", "--json"], env)).stdout) as { model: string; status: string }[];
        assert.equal(run?.model, "local:default");
        assert.equal(run?.status, "completed");

        // Without a terminal now: the downloaded model is the default, with no offer and no network.
        const requestsBefore = hub.requests.length;
        const again = await runCli(question, environment);
        assert.equal(again.code, 0, again.stderr);
        assert.doesNotMatch(again.stderr, /No model is configured|\[y\/N\]/);
        assert.equal(hub.requests.length, requestsBefore, "nothing was asked of the hub");
        const runs = JSON.parse((await runCli(["runs", "--json"], env)).stdout) as { model: string }[];
        assert.deepEqual(
          runs.map((listed) => listed.model),
          ["local:default", "local:default"],
        );
      } finally {
        await hub.close();
      }
    }),
);

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
