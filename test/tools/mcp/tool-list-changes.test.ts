// A server that changes its tools while the run goes on (a real SDK server, see
// fixtures/changing-server.ts): the list is refreshed on `notifications/tools/list_changed`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ToolError } from "../../../src/core/errors.js";
import { connectMcpServers } from "../../../src/tools/mcp/mcp-servers.js";
import { callTool, changingServerPath, eventually, toolNamed } from "./mcp-test-support.js";

test("a tool the server adds appears in tools() and can be called", async () => {
  let changes = 0;
  const servers = await connectMcpServers(
    { changing: { command: process.execPath, args: [changingServerPath] } },
    { onToolsChanged: () => (changes += 1) },
  );
  try {
    assert.ok(!servers.tools().some((tool) => tool.name === "changing__lookup"));
    const changesBefore = changes;
    const added = await callTool(servers, "changing__add_tool", { name: "lookup" });
    assert.match(String(added.content), /added lookup/);
    await eventually(() => servers.tools().some((tool) => tool.name === "changing__lookup"));
    assert.ok(changes > changesBefore, "onToolsChanged was called");
    const output = await callTool(servers, "changing__lookup", {});
    assert.match(String(output.content), /lookup ran/);
  } finally {
    await servers.close();
  }
});

test("names that are not valid tool names are made valid, and calls reach the real name", async () => {
  const servers = await connectMcpServers({ changing: { command: process.execPath, args: [changingServerPath] } });
  try {
    const status = toolNamed(servers, "changing__report_status");
    assert.equal(status.mcp.tool, "report.status");
    assert.match(String((await callTool(servers, "changing__report_status", {})).content), /all good/);
  } finally {
    await servers.close();
  }
});

test("a tool reporting an error (isError) becomes a ToolError with the server's message", async () => {
  const servers = await connectMcpServers({ changing: { command: process.execPath, args: [changingServerPath] } });
  try {
    await assert.rejects(callTool(servers, "changing__fail", {}), (error) => {
      assert.ok(error instanceof ToolError);
      assert.match(error.message, /^The MCP tool "changing__fail" reported an error:/);
      assert.match(error.message, /the disk is on fire/);
      return true;
    });
  } finally {
    await servers.close();
  }
});
