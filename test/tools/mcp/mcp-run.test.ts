// A whole run: the fake OpenAI server plays a model that reads a file through server-filesystem's
// tool and answers with what it read. Real HTTP, the real loop, a real MCP server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FunctionCallOutputItem } from "../../../src/core/items.js";
import { startRun } from "../../../src/library/start-run.js";
import { SqliteRunStore } from "../../../src/store/sqlite-run-store.js";
import { connectMcpServers } from "../../../src/tools/mcp/mcp-servers.js";
import { toolResults } from "../../support/conversation.js";
import { startFakeOpenAIServer, type RequestBody } from "../../support/fake-openai-server.js";
import { temporaryHome } from "../../support/temporary-home.js";
import { filesystemServerPath, temporaryDirectory } from "./mcp-test-support.js";

const untrustedBlock = /<untrusted_content origin="mcp:filesystem">\n([\s\S]*?)\n<\/untrusted_content>/;

test("with the server allowed, the model calls filesystem__read_text_file and answers with the file's content", async () => {
  const directory = await temporaryDirectory();
  const notes = join(directory.path, "notes.txt");
  await writeFile(notes, "The launch code is 7-4-1.");
  const mcp = await connectMcpServers({ filesystem: { command: process.execPath, args: [filesystemServerPath, directory.path] } });
  const requests: RequestBody[] = [];
  const server = await startFakeOpenAIServer((body) => {
    requests.push(body);
    const [result] = toolResults(body);
    if (result === undefined) return { toolCalls: [{ name: "filesystem__read_text_file", arguments: JSON.stringify({ path: notes }) }] };
    return { text: `The file says: ${untrustedBlock.exec(result)?.[1]?.trim() ?? "(nothing)"}` };
  });
  const home = temporaryHome();
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  try {
    const handle = await startRun("What does notes.txt say?", {
      model: "openai:gpt-4o",
      env: { OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL },
      home: home.path,
      store,
      tools: mcp.tools(),
      policy: { tools: { "filesystem__*": "allow" } },
    });
    const record = await handle.result;
    assert.equal(record.status, "completed", record.error?.message);
    assert.equal(record.result?.answer, "The file says: The launch code is 7-4-1.");

    // The model was offered the server's tool with the server's schema.
    const offered = (requests[0]?.tools as Record<string, unknown>[]).find((tool) => tool.name === "filesystem__read_text_file");
    assert.ok(offered, "the tool was offered to the model");
    assert.deepEqual((offered.parameters as { required: string[] }).required, ["path"]);

    const output = (await store.listItems(record.id))
      .map((stored) => stored.item)
      .find((item): item is FunctionCallOutputItem => item.type === "function_call_output");
    assert.equal(output?.error_kind, undefined);
    assert.match(String(output?.output), untrustedBlock);
  } finally {
    await store.close();
    await server.close();
    await mcp.close();
    home.remove();
    await directory.remove();
  }
});

test("without a policy rule for the server, the MCP call waits for approval and is not run", async () => {
  const directory = await temporaryDirectory();
  const mcp = await connectMcpServers({ filesystem: { command: process.execPath, args: [filesystemServerPath, directory.path] } });
  const server = await startFakeOpenAIServer([
    { toolCalls: [{ name: "filesystem__list_directory", arguments: JSON.stringify({ path: directory.path }) }] },
  ]);
  const home = temporaryHome();
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  try {
    const handle = await startRun("List the folder.", {
      model: "openai:gpt-4o",
      env: { OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL },
      home: home.path,
      store,
      tools: mcp.tools(),
    });
    const record = await handle.result;
    assert.equal(record.status, "awaiting_approval");
    const items = (await store.listItems(record.id)).map((stored) => stored.item);
    assert.deepEqual(
      items.filter((item) => item.type === "approval_request").map((item) => (item.type === "approval_request" ? item.name : "")),
      ["filesystem__list_directory"],
    );
    assert.ok(!items.some((item) => item.type === "function_call_output"));
  } finally {
    await store.close();
    await server.close();
    await mcp.close();
    home.remove();
    await directory.remove();
  }
});
