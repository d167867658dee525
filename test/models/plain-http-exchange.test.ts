import assert from "node:assert/strict";
import { createServer as createHttpServer } from "node:http";
import { type AddressInfo, type Server, type Socket, createServer } from "node:net";
import { after, describe, it } from "node:test";
import { idleMsOf } from "../../src/models/chat-completions/http-connection-pool.js";
import { postJson, postTarget } from "../../src/models/chat-completions/http-post.js";
import { defaultModelCallTimeouts } from "../../src/models/model-call-timeouts.js";

/** A TCP server whose every request the test answers with raw bytes; it counts connections. */
type RawReply = (socket: Socket, requestIndexOnConnection: number) => void;

async function rawServer(reply: RawReply): Promise<{ url: URL; connections: () => number; server: Server }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    let requests = 0;
    let buffered = "";
    socket.on("data", (chunk) => {
      buffered += chunk.toString("latin1");
      // One request per head + Content-Length body; the tests send small bodies.
      for (;;) {
        const headEnd = buffered.indexOf("\r\n\r\n");
        if (headEnd === -1) return;
        const length = Number(/content-length: (\d+)/i.exec(buffered.slice(0, headEnd))?.[1] ?? 0);
        if (buffered.length < headEnd + 4 + length) return;
        buffered = buffered.slice(headEnd + 4 + length);
        reply(socket, requests++);
      }
    });
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`),
    connections: () => connections,
    server,
  };
}

const servers: Server[] = [];
after(() => {
  for (const server of servers) server.close();
});

async function post(url: URL, signal = new AbortController().signal, headers: Record<string, string> = {}) {
  const response = await postJson(postTarget(url, headers, defaultModelCallTimeouts), Buffer.from('{"model":"m"}'), signal);
  return { status: response.status, headers: response.headers, text: await response.body.text() };
}

const ok = (body: string, extra = "") =>
  `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

describe("plain HTTP exchanges", () => {
  it("keeps one connection for sequential requests, and sends the head node:http would", async () => {
    const heads: string[] = [];
    const server = createHttpServer((request, response) => {
      heads.push(
        `${request.method} ${request.url} ${request.headers.host} ${request.headers["content-type"]} ${request.headers["content-length"]} ${request.headers.authorization}`,
      );
      request.resume();
      request.on("end", () => response.end('{"ok":true}'));
    });
    servers.push(server as unknown as Server);
    let connections = 0;
    server.on("connection", () => connections++);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions?x=1`);
    for (let index = 0; index < 5; index++)
      assert.deepEqual((await post(url, undefined, { authorization: "Bearer k" })).text, '{"ok":true}');
    assert.equal(connections, 1);
    assert.equal(heads[0], `POST /v1/chat/completions?x=1 ${url.host} application/json 13 Bearer k`);
  });

  it("sends a request again on a new connection when its kept-alive one was closed by the server", async () => {
    // The server answers the first request on each connection, then drops the connection when
    // the next one arrives, as a server does that closes an idle connection as a request comes in.
    const { url, connections, server } = await rawServer((socket, index) => (index === 0 ? socket.write(ok('{"n":1}')) : socket.destroy()));
    servers.push(server);
    assert.equal((await post(url)).text, '{"n":1}');
    assert.equal((await post(url)).text, '{"n":1}');
    assert.equal(connections(), 2);
    // Several idle connections, all stale (a restarted server): the second try takes a new one.
    await Promise.all([post(url), post(url), post(url)]);
    const before = connections();
    assert.equal((await post(url)).text, '{"n":1}');
    assert.equal(connections(), before + 1);
  });

  it("does not send a request twice on a new connection, or once the server has started to answer", async () => {
    const { url, server } = await rawServer((socket) => socket.destroy());
    servers.push(server);
    await assert.rejects(post(url), (error: Error) =>
      /without a response|ECONNRESET|socket hang up/i.test(`${error.message} ${(error as { code?: string }).code}`),
    );
    const cut = await rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{"partial'));
    servers.push(cut.server);
    await assert.rejects(post(cut.url), /before the response ended/);
    assert.equal(cut.connections(), 1);
  });

  it("reads chunked bodies and bodies framed by the connection's end, and closes those connections", async () => {
    const chunked = await rawServer((socket) =>
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{"a\r\n4\r\n":1}\r\n0\r\n\r\n'),
    );
    servers.push(chunked.server);
    assert.equal((await post(chunked.url)).text, '{"a":1}');
    assert.equal((await post(chunked.url)).text, '{"a":1}');
    assert.equal(chunked.connections(), 1);
    const untilClose = await rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{"b":2}'));
    servers.push(untilClose.server);
    assert.equal((await post(untilClose.url)).text, '{"b":2}');
    assert.equal((await post(untilClose.url)).text, '{"b":2}');
    assert.equal(untilClose.connections(), 2);
  });

  it("gives the body chunk by chunk as it arrives, and stops on abort with the abort's reason", async () => {
    let serverSocket: Socket | undefined;
    const { url, server } = await rawServer((socket) => {
      serverSocket = socket;
      socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\ndata:1\r\n");
    });
    servers.push(server);
    const controller = new AbortController();
    const response = await postJson(postTarget(url, {}, defaultModelCallTimeouts), Buffer.from("{}"), controller.signal);
    const iterator = response.body[Symbol.asyncIterator]();
    assert.equal((await iterator.next()).value?.toString(), "data:1");
    const closed = new Promise((resolve) => serverSocket?.once("close", resolve));
    const next = iterator.next();
    controller.abort(new Error("user stopped it"));
    await assert.rejects(next, /user stopped it/);
    await closed;
    assert.equal(response.body.complete, false);
  });

  it("keeps the error codes the client maps: nothing listening is ECONNREFUSED", async () => {
    const { url, server } = await rawServer(() => undefined);
    server.close();
    await new Promise((resolve) => server.once("close", resolve));
    await assert.rejects(post(url), (error: Error & { code?: string }) => error.code === "ECONNREFUSED");
  });

  it("refuses a header HTTP does not allow before sending anything, naming it", async () => {
    const { url, connections, server } = await rawServer((socket) => socket.write(ok("{}")));
    servers.push(server);
    await assert.rejects(post(url, undefined, { authorization: "Bearer key\n" }), /"authorization" .* a character HTTP does not allow/);
    assert.equal(connections(), 0);
  });

  it("drops a connection that the server writes to out of turn, and follows the server's keep-alive hint", async () => {
    const noisy = await rawServer((socket) => {
      socket.write(ok("{}"));
      setTimeout(() => socket.write("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n"), 20);
    });
    servers.push(noisy.server);
    await post(noisy.url);
    await new Promise((resolve) => setTimeout(resolve, 80));
    await post(noisy.url);
    assert.equal(noisy.connections(), 2);
    // Bytes after a response's end: the connection is out of step, and not reused.
    const overrun = await rawServer((socket) => socket.write(`${ok("{}")}HTTP/1.1 200 OK\r\n`));
    servers.push(overrun.server);
    assert.equal((await post(overrun.url)).text, "{}");
    await post(overrun.url);
    assert.equal(overrun.connections(), 2);
    // A hint of one second leaves no time to reuse the connection safely.
    const short = await rawServer((socket) => socket.write(ok("{}", "Keep-Alive: timeout=1\r\n")));
    servers.push(short.server);
    await post(short.url);
    await post(short.url);
    assert.equal(short.connections(), 2);
    // A hint of two seconds keeps it one second, then the client closes it (before the server would).
    const hinted = await rawServer((socket) => socket.write(ok("{}", "Keep-Alive: timeout=2\r\n")));
    servers.push(hinted.server);
    await post(hinted.url);
    await post(hinted.url);
    assert.equal(hinted.connections(), 1);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    await post(hinted.url);
    assert.equal(hinted.connections(), 2);
    assert.equal(idleMsOf(undefined), 4000);
    assert.equal(idleMsOf("timeout=5, max=100"), 4000);
    assert.equal(idleMsOf("timeout=75"), 74000);
    assert.equal(idleMsOf("timeout=1"), 0);
  });
});
