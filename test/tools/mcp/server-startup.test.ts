// Starting servers: settings that are wrong, servers that cannot start or never answer, and
// cancelling while they start. One bad server never keeps the others from working.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CancelledError, ConfigError } from "../../../src/core/errors.js";
import { mcpServersSettingsSchema } from "../../../src/tools/mcp/mcp-server-settings.js";
import { connectMcpServers } from "../../../src/tools/mcp/mcp-servers.js";
import { callTool, childProcessIds, everythingServer } from "./mcp-test-support.js";

const silentServer = { command: process.execPath, args: ["-e", "setInterval(() => {}, 1000)"] };

test("settings: stdio and HTTP servers parse; bad names, URLs and mixed shapes are refused", () => {
  const good = mcpServersSettingsSchema.safeParse({
    files: {
      command: "npx",
      args: ["-y", "@modelcontextprotocol/server-filesystem", "/data"],
      env: { DEBUG: "1" },
      cwd: "/tmp",
      timeoutMs: 30_000,
    },
    "remote-search": { url: "https://mcp.example.com/mcp", headers: { Authorization: "Bearer x" }, startupTimeoutMs: 5_000 },
  });
  assert.ok(good.success, good.error?.message);
  for (const name of ["a__b", "ends_", "has space", "x".repeat(33), ""]) {
    assert.ok(!mcpServersSettingsSchema.safeParse({ [name]: { command: "x" } }).success, name);
  }
  assert.ok(!mcpServersSettingsSchema.safeParse({ remote: { url: "ftp://example.com" } }).success);
  assert.ok(!mcpServersSettingsSchema.safeParse({ both: { command: "x", url: "http://example.com" } }).success);
  assert.ok(!mcpServersSettingsSchema.safeParse({ neither: { args: ["x"] } }).success);
});

test("connecting with invalid settings throws a ConfigError naming the field", async () => {
  await assert.rejects(connectMcpServers({ "bad name": { command: "x" } }), (error) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /bad name/);
    return true;
  });
});

test("a server that cannot start is reported with its reason, and the others still work", async () => {
  const servers = await connectMcpServers({
    missing: { command: "/nonexistent/mcp-server" },
    crashing: { command: process.execPath, args: ["-e", "console.error('GITHUB_TOKEN is not set'); process.exit(1)"] },
    everything: everythingServer,
  });
  try {
    const [missing, crashing, everything] = servers.servers();
    assert.equal(missing?.state, "failed");
    assert.match(
      missing?.error ?? "",
      /^The MCP server "missing" \(\/nonexistent\/mcp-server\) could not start: the command "\/nonexistent\/mcp-server" was not found \(is it installed, and on the PATH\?\)\.\nCheck mcpServers\.missing in the config\.$/,
    );
    assert.equal(crashing?.state, "failed");
    assert.equal(
      crashing?.error,
      `The MCP server "crashing" (${process.execPath}) could not start: it exited before it finished starting.\nIts stderr ended with:\nGITHUB_TOKEN is not set\nCheck mcpServers.crashing in the config.`,
    );
    assert.equal(everything?.state, "connected");
    assert.ok(servers.tools().every((tool) => tool.name.startsWith("everything__")));
    assert.match(String((await callTool(servers, "everything__echo", { message: "fine" })).content), /Echo: fine/);
  } finally {
    await servers.close();
  }
});

test("a server that never answers fails after its startup timeout", async () => {
  const servers = await connectMcpServers({ silent: { ...silentServer, startupTimeoutMs: 300 } });
  try {
    assert.equal(servers.servers()[0]?.state, "failed");
    assert.match(servers.servers()[0]?.error ?? "", /could not start: it did not finish starting within 300 ms\./);
    assert.deepEqual(servers.tools(), []);
  } finally {
    await servers.close();
  }
});

test("cancelling while servers start stops them and throws CancelledError", async () => {
  const controller = new AbortController();
  const connecting = connectMcpServers({ silent: silentServer }, { signal: controller.signal });
  setTimeout(() => controller.abort(), 100);
  await assert.rejects(connecting, (error) => error instanceof CancelledError);
  assert.deepEqual(childProcessIds(), []);
});
