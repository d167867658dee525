// The MCP client against the reference server-everything over stdio: its tools as Ponder tools,
// results (text, images), aborts, crashes and restarts, and closing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { ToolError, ToolInfraError, isAbortError } from "../../../src/core/errors.js";
import type { ContentPart } from "../../../src/core/items.js";
import { maxRestarts } from "../../../src/tools/mcp/mcp-server-connection.js";
import { connectMcpServers, type McpServers } from "../../../src/tools/mcp/mcp-servers.js";
import { isMcpTool } from "../../../src/tools/mcp/mcp-tool.js";
import { callTool, eventually, everythingServer, isProcessAlive, processIdOf, toolContext, toolNamed } from "./mcp-test-support.js";

async function withEverything(body: (servers: McpServers) => Promise<void>): Promise<void> {
  const servers = await connectMcpServers({ everything: everythingServer });
  try {
    await body(servers);
  } finally {
    await servers.close();
  }
}

test("its tools become server__tool Ponder tools with their schemas, effects and origin", async () => {
  await withEverything(async (servers) => {
    const names = servers.tools().map((tool) => tool.name);
    assert.ok(names.includes("everything__echo"));
    assert.ok(names.includes("everything__get-sum"));
    // A tool that only runs as an MCP task is left out: Ponder does not speak that protocol.
    assert.ok(!names.includes("everything__simulate-research-query"));
    const sum = toolNamed(servers, "everything__get-sum");
    assert.ok(isMcpTool(sum));
    assert.deepEqual({ server: sum.mcp.server, tool: sum.mcp.tool }, { server: "everything", tool: "get-sum" });
    assert.equal(sum.effects, "read");
    assert.equal(toolNamed(servers, "everything__gzip-file-as-resource").effects, "external");
    assert.equal(toolNamed(servers, "everything__toggle-simulated-logging").effects, "write");
    assert.match(sum.description, /Returns the sum of two numbers \(from the MCP server "everything"\)/);
    const { $schema: _schema, ...schema } = z.toJSONSchema(sum.parameters, { io: "input" }) as Record<string, unknown>;
    assert.deepEqual(schema.properties, {
      a: { type: "number", description: "First number" },
      b: { type: "number", description: "Second number" },
    });
    assert.deepEqual(schema.required, ["a", "b"]);
    assert.ok(!sum.parameters.safeParse({ a: 1 }).success, "a missing argument is caught before the call");
    assert.deepEqual(
      servers.servers().map(({ name, transport, state, restarts }) => ({ name, transport, state, restarts })),
      [{ name: "everything", transport: "stdio", state: "connected", restarts: 0 }],
    );
  });
});

test("echo and get-sum answer with the server's text, wrapped as untrusted data", async () => {
  await withEverything(async (servers) => {
    const echo = await callTool(servers, "everything__echo", { message: "hello from Ponder" });
    assert.equal(typeof echo.content, "string");
    assert.match(String(echo.content), /^<untrusted_content origin="mcp:everything">\nEcho: hello from Ponder\n<\/untrusted_content>/);
    const sum = await callTool(servers, "everything__get-sum", { a: 2, b: 40 });
    assert.match(String(sum.content), /The sum of 2 and 40 is 42\./);
  });
});

test("an image result reaches a vision model as an image part, between the texts", async () => {
  await withEverything(async (servers) => {
    const output = await callTool(servers, "everything__get-tiny-image", {});
    const parts = output.content as ContentPart[];
    assert.deepEqual(
      parts.map((part) => part.type),
      ["input_text", "input_image", "input_text"],
    );
    assert.match(parts[1]?.type === "input_image" ? parts[1].image_url : "", /^data:image\/png;base64,iVBORw0KGgo/);
    assert.match(parts[0]?.type === "input_text" ? parts[0].text : "", /Here's the image you requested/);
    const blind = await callTool(
      servers,
      "everything__get-tiny-image",
      {},
      toolContext({ model: { id: "openai:text-only", vision: false } }),
    );
    assert.equal(typeof blind.content, "string");
    assert.match(String(blind.content), /\[image \(image\/png, \d+ bytes\) not shown: the model openai:text-only cannot see images\.\]/);
  });
});

test("aborting a long-running call cancels it and the server stays usable", async () => {
  await withEverything(async (servers) => {
    const processId = processIdOf(servers, "everything");
    const controller = new AbortController();
    // An hour-long operation: if the abort did not stop the call, this test would hang.
    const call = callTool(
      servers,
      "everything__trigger-long-running-operation",
      { duration: 3600, steps: 1 },
      toolContext({ signal: controller.signal }),
    );
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(call, (error) => isAbortError(error));
    const echo = await callTool(servers, "everything__echo", { message: "still here" });
    assert.match(String(echo.content), /Echo: still here/);
    assert.equal(processIdOf(servers, "everything"), processId);
  });
});

test("a crash during a call is an infrastructure error, and the next call restarts the server", async () => {
  await withEverything(async (servers) => {
    const first = processIdOf(servers, "everything");
    const call = callTool(servers, "everything__trigger-long-running-operation", { duration: 3600, steps: 1 });
    setTimeout(() => process.kill(first, "SIGKILL"), 100);
    await assert.rejects(call, (error) => {
      assert.ok(error instanceof ToolInfraError);
      assert.equal(error.message, 'The MCP server "everything" stopped; it will be restarted on the next call.');
      return true;
    });
    assert.equal(servers.servers()[0]?.state, "stopped");
    const echo = await callTool(servers, "everything__echo", { message: "back" });
    assert.match(String(echo.content), /Echo: back/);
    const second = processIdOf(servers, "everything");
    assert.notEqual(second, first);
    assert.deepEqual({ state: servers.servers()[0]?.state, restarts: servers.servers()[0]?.restarts }, { state: "connected", restarts: 1 });
  });
});

test("a server that died between calls is restarted transparently, up to the restart limit", async () => {
  await withEverything(async (servers) => {
    for (let restart = 1; restart <= maxRestarts; restart++) {
      process.kill(processIdOf(servers, "everything"), "SIGKILL");
      await eventually(() => servers.servers()[0]?.state === "stopped");
      const echo = await callTool(servers, "everything__echo", { message: `restart ${restart}` });
      assert.match(String(echo.content), new RegExp(`Echo: restart ${restart}`));
    }
    process.kill(processIdOf(servers, "everything"), "SIGKILL");
    await eventually(() => servers.servers()[0]?.state === "stopped");
    await assert.rejects(callTool(servers, "everything__echo", { message: "once more" }), (error) => {
      assert.ok(error instanceof ToolInfraError);
      assert.match(error.message, new RegExp(`already started again ${maxRestarts} times in this run and is not started again`));
      return true;
    });
  });
});

test("the server refusing arguments reaches the model as a tool error", async () => {
  await withEverything(async (servers) => {
    // Sent without Ponder's own check, as a model's call would be if the schema allowed it.
    const sum = toolNamed(servers, "everything__get-sum");
    await assert.rejects(sum.run({ a: "two" }, toolContext()), (error) => {
      assert.ok(error instanceof ToolError);
      assert.match(error.message, /everything/);
      assert.match(error.message, /expected number/i);
      return true;
    });
  });
});

test("close stops the server process, and later calls say the run has ended", async () => {
  const servers = await connectMcpServers({ first: everythingServer, second: everythingServer });
  const processIds = [processIdOf(servers, "first"), processIdOf(servers, "second")];
  assert.ok(processIds.every(isProcessAlive));
  const echo = toolNamed(servers, "first__echo");
  await servers.close();
  assert.deepEqual(processIds.map(isProcessAlive), [false, false]);
  assert.deepEqual(
    servers.servers().map((server) => server.state),
    ["closed", "closed"],
  );
  await assert.rejects(echo.run({ message: "late" }, toolContext()), /closed because its run has ended/);
  await servers.close();
});
