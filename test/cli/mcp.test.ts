import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeOpenAIServer } from "../support/fake-openai-server.js";
import { toolResults } from "../support/conversation.js";
import { runCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";
import { filesystemServerPath } from "../tools/mcp/mcp-test-support.js";

test("an MCP server from the config file: its tools reach the model and run under the policy", async () => {
  const home = temporaryHome();
  const shared = join(home.path, "shared");
  mkdirSync(shared);
  writeFileSync(join(shared, "motto.txt"), "Measure twice, cut once.");
  const configPath = join(home.path, "ponder.config.json");
  const config = (policy: Record<string, string>) =>
    writeFileSync(
      configPath,
      JSON.stringify({
        mcpServers: { files: { command: process.execPath, args: [filesystemServerPath, shared] } },
        policy: { tools: policy },
      }),
    );
  const server = await startFakeOpenAIServer((body) => {
    const results = toolResults(body);
    if (results.length === 0) {
      const tools = JSON.stringify(body.tools ?? []);
      if (!tools.includes("files__read_text_file")) return { text: "the MCP tool is missing" };
      return { toolCalls: [{ name: "files__read_text_file", arguments: JSON.stringify({ path: join(shared, "motto.txt") }) }] };
    }
    return { text: `The motto: ${results[0]}` };
  });
  const env = {
    PONDER_HOME: home.path,
    OPENAI_API_KEY: "k",
    OPENAI_BASE_URL: server.baseURL,
    PONDER_MODEL: "openai:gpt-4o",
    PONDER_CONFIG: configPath,
  };
  try {
    config({});
    const waiting = await runCli(["ask", "--json", "What is the motto?"], env);
    assert.equal(waiting.code, 3, "an MCP tool without a policy rule waits for approval");
    assert.equal(JSON.parse(waiting.stdout).status, "awaiting_approval");

    config({ "files__*": "allow" });
    const allowed = await runCli(["ask", "--json", "What is the motto?"], env);
    assert.equal(allowed.code, 0, allowed.stderr);
    const run = JSON.parse(allowed.stdout);
    assert.match(run.answer, /Measure twice, cut once\./);
    assert.match(run.answer, /untrusted_content origin="mcp:files"/, "MCP results reach the model as untrusted data");
  } finally {
    await server.close();
    home.remove();
  }
});
