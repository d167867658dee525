// The MCP client over Streamable HTTP, against server-everything started in its HTTP mode. A
// small recording proxy in front of it shows the configured headers on every request.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, request, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { ToolInfraError } from "../../../src/core/errors.js";
import { connectMcpServers } from "../../../src/tools/mcp/mcp-servers.js";
import { callTool, freePort, startEverythingHttp } from "./mcp-test-support.js";

/** Forwards every request to `targetPort` and records its headers; 502 when the target is down. */
async function startRecordingProxy(targetPort: number) {
  const headers: IncomingHttpHeaders[] = [];
  const server = createServer((incoming, outgoing) => {
    headers.push(incoming.headers);
    const upstream = request(
      { host: "127.0.0.1", port: targetPort, path: incoming.url, method: incoming.method, headers: incoming.headers },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    upstream.on("error", () => {
      if (!outgoing.headersSent) outgoing.writeHead(502).end();
      else outgoing.destroy();
    });
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    headers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

test("tools work over Streamable HTTP, with the configured headers on every request", async () => {
  const port = await freePort();
  let everything = await startEverythingHttp(port);
  const proxy = await startRecordingProxy(port);
  const servers = await connectMcpServers({ remote: { url: proxy.url, headers: { "X-Ponder-Test": "secret-42" } } });
  try {
    assert.deepEqual(
      servers.servers().map(({ transport, state }) => ({ transport, state })),
      [{ transport: "http", state: "connected" }],
    );
    const echo = await callTool(servers, "remote__echo", { message: "over HTTP" });
    assert.match(String(echo.content), /^<untrusted_content origin="mcp:remote">\nEcho: over HTTP/);
    assert.ok(proxy.headers.length >= 3);
    assert.ok(proxy.headers.every((headers) => headers["x-ponder-test"] === "secret-42"));

    // The server goes away: the call fails as infrastructure, and once it is back the next call reconnects.
    await everything.stop();
    await assert.rejects(callTool(servers, "remote__echo", { message: "anyone?" }), (error) => {
      assert.ok(error instanceof ToolInfraError);
      assert.match(error.message, /^The MCP server "remote" could not be used \(.*\); it will be reconnected on the next call\.$/);
      return true;
    });
    everything = await startEverythingHttp(port);
    const again = await callTool(servers, "remote__echo", { message: "back again" });
    assert.match(String(again.content), /Echo: back again/);
    assert.equal(servers.servers()[0]?.restarts, 1);
  } finally {
    await servers.close();
    await proxy.close();
    await everything.stop();
  }
});
