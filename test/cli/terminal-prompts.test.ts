import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeOpenAIServer } from "../support/fake-openai-server.js";
import { cliInTerminal } from "../support/pseudo-terminal.js";
import { runCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";

test("Ctrl-C at the y/N approval prompt cancels the run: exit 130, and the run is recorded as cancelled", async () => {
  const server = await startFakeOpenAIServer([
    { toolCalls: [{ name: "python", arguments: JSON.stringify({ code: "print(6 * 7)" }) }] },
    { text: "Never reached." },
  ]);
  const home = temporaryHome();
  try {
    const config = join(home.path, "ponder.config.json");
    writeFileSync(config, JSON.stringify({ policy: { tools: { python: "ask" } } }));
    const env = {
      PONDER_HOME: home.path,
      PONDER_CONFIG: config,
      OPENAI_API_KEY: "k",
      OPENAI_BASE_URL: server.baseURL,
      PONDER_MODEL: "openai:gpt-4o",
      PONDER_EFFORT: "medium",
    };
    const terminal = cliInTerminal(["ask", "What is six times seven?"], env);
    await terminal.waitFor(/Allow python\(.*\)\? \[y\/N\]/);
    terminal.type("\x03");
    assert.equal(await terminal.exited, 130, terminal.screen());
    assert.doesNotMatch(terminal.screen(), /deadline/i);
    const runs = JSON.parse((await runCli(["runs", "--json"], env)).stdout);
    assert.equal(runs.length, 1);
    assert.equal(runs[0].status, "cancelled");
    assert.equal(server.requests.length, 1, "the model was not asked again");
  } finally {
    home.remove();
    await server.close();
  }
});

test("in a terminal, the status line shows what remains of the budget", async () => {
  const server = await startFakeOpenAIServer([
    { toolCalls: [{ name: "python", arguments: JSON.stringify({ code: "print(6 * 7)" }) }] },
    { text: "42" },
  ]);
  const home = temporaryHome();
  try {
    const env = { PONDER_HOME: home.path, OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL, PONDER_MODEL: "openai:gpt-4o" };
    const terminal = cliInTerminal(
      ["ask", "--deadline", "10m", "--max-steps", "5", "--budget-cost", "0.5", "What is six times seven?"],
      env,
    );
    assert.equal(await terminal.exited, 0, terminal.screen());
    assert.match(terminal.screen(), /\d+(\.\d)?m?s \(9m\d+s left\) · step \d\/5 · [\d,]+\/600,000 tokens · \$[\d.]+\/\$0\.5/);
  } finally {
    home.remove();
    await server.close();
  }
});
