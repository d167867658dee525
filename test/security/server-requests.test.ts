import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APIError } from "openai";
import { startPonderServer } from "../../src/server/ponder-server.js";
import { startServerFixture, type ServerFixture } from "../server/server-fixture.js";
import { runCli, spawnCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";

// What a web page (or DNS rebinding) could forge against `ponder serve` on the user's machine, sent
// as raw HTTP so every header is exactly the attacker's; and the clients that must keep working.
// Browsers themselves are in server-browser-attacks.test.ts.

type RawAnswer = { status: number; headers: IncomingHttpHeaders; body: string };

/** One request over node:http, with the Host, Origin and other headers exactly as given. */
function raw(url: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: hostname, port, path, method, headers, setHost: !("host" in headers) }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** The error code of an answer in the server's error shape (which it must be). */
function errorCode(answer: RawAnswer): string {
  assert.match(String(answer.headers["content-type"]), /^application\/json/, answer.body);
  const parsed = JSON.parse(answer.body) as { error: { message: string; type: string; code: string } };
  assert.equal(typeof parsed.error.message, "string");
  return parsed.error.code;
}

async function runCount(fixture: ServerFixture): Promise<number> {
  return ((await (await fixture.request("GET", "/v1/runs")).json()) as { data: unknown[] }).data.length;
}

const runBody = JSON.stringify({ input: "Spend the user's credits." });

test("forged requests start no run: text/plain, forms, foreign and null origins, other sites, preflight", async () => {
  const fixture = await startServerFixture(() => ({ text: "ok" }));
  const { url } = fixture.server;
  const own = new URL(url).host;
  try {
    const attempts: { name: string; method?: string; headers: Record<string, string>; body?: string; status: number; code: string }[] = [
      {
        name: "text/plain, no origin",
        headers: { "content-type": "text/plain" },
        body: runBody,
        status: 415,
        code: "unsupported_media_type",
      },
      {
        name: "text/plain from a foreign page",
        headers: { "content-type": "text/plain;charset=UTF-8", origin: "http://evil.example" },
        body: runBody,
        status: 403,
        code: "origin_not_allowed",
      },
      {
        name: "form-encoded",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "input=hello",
        status: 415,
        code: "unsupported_media_type",
      },
      {
        name: "multipart form",
        headers: { "content-type": "multipart/form-data; boundary=x" },
        body: '--x\r\nContent-Disposition: form-data; name="input"\r\n\r\nhi\r\n--x--\r\n',
        status: 415,
        code: "unsupported_media_type",
      },
      {
        name: "JSON lookalike type",
        headers: { "content-type": "application/jsonx" },
        body: runBody,
        status: 415,
        code: "unsupported_media_type",
      },
      {
        name: "JSON in another charset",
        headers: { "content-type": "application/json; charset=utf-16" },
        body: runBody,
        status: 415,
        code: "unsupported_media_type",
      },
      { name: "a body with no type", headers: {}, body: runBody, status: 415, code: "unsupported_media_type" },
      {
        name: "cross-origin JSON",
        headers: { "content-type": "application/json", origin: "http://evil.example" },
        body: runBody,
        status: 403,
        code: "origin_not_allowed",
      },
      {
        name: "another local port",
        headers: { "content-type": "application/json", origin: `http://127.0.0.1:${Number(new URL(url).port) + 1}` },
        body: runBody,
        status: 403,
        code: "origin_not_allowed",
      },
      {
        name: "Origin null",
        headers: { "content-type": "application/json", origin: "null" },
        body: runBody,
        status: 403,
        code: "origin_not_allowed",
      },
      {
        name: "an extension's origin",
        headers: { "content-type": "application/json", origin: `chrome-extension://${own}` },
        body: runBody,
        status: 403,
        code: "origin_not_allowed",
      },
      {
        name: "another site, no Origin",
        headers: { "content-type": "application/json", "sec-fetch-site": "cross-site" },
        body: runBody,
        status: 403,
        code: "origin_not_allowed",
      },
      {
        name: "same site, other origin",
        headers: { "content-type": "application/json", "sec-fetch-site": "same-site" },
        body: runBody,
        status: 403,
        code: "origin_not_allowed",
      },
      {
        name: "gzip body",
        headers: { "content-type": "application/json", "content-encoding": "gzip" },
        body: runBody,
        status: 415,
        code: "unsupported_content_encoding",
      },
      {
        name: "unknown encoding",
        headers: { "content-type": "application/json", "content-encoding": "x-custom" },
        body: runBody,
        status: 415,
        code: "unsupported_content_encoding",
      },
      {
        name: "preflight",
        method: "OPTIONS",
        headers: {
          origin: "http://evil.example",
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type",
        },
        status: 403,
        code: "cross_origin_refused",
      },
      {
        name: "preflight from a local page",
        method: "OPTIONS",
        headers: { origin: `http://${own}`, "access-control-request-method": "POST" },
        status: 403,
        code: "cross_origin_refused",
      },
    ];
    for (const attempt of attempts) {
      const answer = await raw(url, attempt.method ?? "POST", "/v1/runs", attempt.headers, attempt.body);
      assert.equal(answer.status, attempt.status, `${attempt.name}: ${answer.body}`);
      assert.equal(errorCode(answer), attempt.code, attempt.name);
      assert.equal(answer.headers["access-control-allow-origin"], undefined, `${attempt.name}: no CORS grant`);
    }
    // Action endpoints: a page's body-less POST carries its Origin; a form's carries its type.
    const created = (await (await fixture.request("POST", "/v1/runs", { body: { input: "a run to attack" } })).json()) as { id: string };
    for (const action of ["cancel", "approve", "deny", "steer"]) {
      assert.equal((await raw(url, "POST", `/v1/runs/${created.id}/${action}`, { origin: "http://evil.example" })).status, 403, action);
      assert.equal(
        (await raw(url, "POST", `/v1/runs/${created.id}/${action}`, { "content-type": "application/x-www-form-urlencoded" }, "message=x"))
          .status,
        415,
        action,
      );
    }
    assert.equal(
      (
        await raw(
          url,
          "POST",
          "/v1/chat/completions",
          { "content-type": "text/plain" },
          JSON.stringify({ model: "ponder", messages: [{ role: "user", content: "hi" }] }),
        )
      ).status,
      415,
    );
    assert.equal(
      (await raw(url, "POST", "/v1/responses", { "content-type": "text/plain" }, JSON.stringify({ model: "ponder", input: "hi" }))).status,
      415,
    );
    // Reading runs from another origin is refused too, not only left to the browser's CORS check.
    assert.equal((await raw(url, "GET", "/v1/runs", { origin: "http://evil.example" })).status, 403);
    assert.equal((await raw(url, "GET", `/v1/runs/${created.id}/events`, { "sec-fetch-site": "cross-site" })).status, 403);
    assert.equal(await runCount(fixture), 1, "only the run the test made itself exists");
  } finally {
    await fixture.close();
  }
});

test("a wrong Host is refused everywhere (DNS rebinding); loopback names and allowed names are answered", async () => {
  const fixture = await startServerFixture(() => ({ text: "ok" }));
  const { url } = fixture.server;
  const port = Number(new URL(url).port);
  try {
    const created = (await (await fixture.request("POST", "/v1/runs", { body: { input: "a private run" } })).json()) as { id: string };
    const rebound = { host: `evil.example:${port}` };
    for (const [method, path, body] of [
      ["POST", "/v1/runs", runBody],
      ["GET", "/v1/runs", undefined],
      ["GET", `/v1/runs/${created.id}`, undefined],
      ["GET", `/v1/runs/${created.id}/events`, undefined],
      ["GET", "/v1/models", undefined],
      ["GET", "/", undefined],
      ["GET", "/index.html", undefined],
    ] as const) {
      const answer = await raw(url, method, path, body ? { ...rebound, "content-type": "application/json" } : rebound, body);
      assert.equal(answer.status, 421, `${method} ${path}`);
      assert.equal(errorCode(answer), "host_not_allowed");
      assert.doesNotMatch(answer.body, /a private run/);
    }
    for (const host of [
      `localhost:${port + 1}`,
      `evil.example`,
      `127.0.0.1.evil.example:${port}`,
      `evil.example@127.0.0.1:${port}`,
      `127.0.0.2:${port}`,
      `[::2]:${port}`,
      "",
      `localhost.:${port}`,
    ]) {
      assert.equal((await raw(url, "GET", "/v1/runs", { host })).status, 421, JSON.stringify(host));
    }
    const hostless = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => socket.end("GET /v1/runs HTTP/1.1\r\n\r\n"));
      let text = "";
      socket.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    assert.match(hostless, /^HTTP\/1\.1 421 [\s\S]*"code":"host_not_allowed"/, "no Host at all");
    for (const host of [`localhost:${port}`, `LOCALHOST:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, "localhost"]) {
      assert.equal((await raw(url, "GET", "/v1/runs", { host })).status, 200, host);
    }
    // The UI itself opened by a loopback name: its own POSTs carry an Origin that matches.
    assert.equal(
      (
        await raw(
          url,
          "POST",
          "/v1/runs",
          {
            host: `localhost:${port}`,
            origin: `http://localhost:${port}`,
            "content-type": "application/json",
            "sec-fetch-site": "same-origin",
          },
          runBody,
        )
      ).status,
      201,
    );
  } finally {
    await fixture.close();
  }
});

test("--allowed-host adds a name (a reverse proxy's, with https); bound beyond loopback with keys, addresses are answered", async () => {
  const fixture = await startServerFixture(() => ({ text: "ok" }), { tenants: ["alice"] });
  const env = {
    PONDER_HOME: fixture.home,
    OPENAI_API_KEY: "test-key",
    OPENAI_BASE_URL: fixture.model.baseURL,
    PONDER_MODEL: "openai:gpt-5-mini",
  };
  const named = await startPonderServer({
    port: 0,
    host: "127.0.0.1",
    env,
    cwd: fixture.home,
    allowedHosts: ["ponder.example", "other.example:8443"],
  });
  const wide = await startPonderServer({ port: 0, host: "0.0.0.0", env, cwd: fixture.home });
  const key = { authorization: `Bearer ${fixture.keys.alice}` };
  try {
    const url = `http://127.0.0.1:${named.port}`;
    assert.equal((await raw(url, "GET", "/v1/runs", { ...key, host: `ponder.example:${named.port}` })).status, 200);
    assert.equal((await raw(url, "GET", "/v1/runs", { ...key, host: "ponder.example" })).status, 200);
    assert.equal((await raw(url, "GET", "/v1/runs", { ...key, host: "other.example:8443" })).status, 200);
    assert.equal((await raw(url, "GET", "/v1/runs", { ...key, host: "other.example:9000" })).status, 421);
    const proxied = await raw(
      url,
      "POST",
      "/v1/runs",
      { ...key, host: "ponder.example", origin: "https://ponder.example", "content-type": "application/json" },
      runBody,
    );
    assert.equal(proxied.status, 201, proxied.body);
    assert.equal(
      (
        await raw(
          url,
          "POST",
          "/v1/runs",
          { ...key, host: "ponder.example", origin: "https://evil.example", "content-type": "application/json" },
          runBody,
        )
      ).status,
      403,
    );
    await assert.rejects(
      startPonderServer({ port: 0, env, cwd: fixture.home, allowedHosts: ["bad host/"] }),
      /Not a host name: bad host\//,
    );

    const wideUrl = `http://127.0.0.1:${wide.port}`;
    assert.equal(wide.host, "0.0.0.0");
    assert.equal(
      (await raw(wideUrl, "GET", "/v1/runs", { ...key, host: `192.0.2.10:${wide.port}` })).status,
      200,
      "an address cannot be rebound",
    );
    assert.equal((await raw(wideUrl, "GET", "/v1/runs", { ...key, host: `[2001:db8::1]:${wide.port}` })).status, 200);
    assert.equal(
      (await raw(wideUrl, "GET", "/v1/runs", { ...key, host: `evil.example:${wide.port}` })).status,
      421,
      "names still need --allowed-host",
    );
  } finally {
    await named.close();
    await wide.close();
    await fixture.close();
  }
});

test("`ponder serve --allowed-host` and the config's server.allowedHosts add names; a malformed one stops it with exit 2", async () => {
  const home = temporaryHome();
  const env = {
    PONDER_HOME: home.path,
    PONDER_CONFIG: join(home.path, "ponder.config.json"),
    PONDER_MODEL: "openai:gpt-5-mini",
    OPENAI_API_KEY: "test-key",
  };
  writeFileSync(env.PONDER_CONFIG, JSON.stringify({ server: { allowedHosts: ["config.example"] } }));
  const child = spawnCli(["serve", "--port", "0", "--allowed-host", "flag.example", "--allowed-host", "flag.example:9443"], env);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let stderr = "";
      child.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        const serving = /Ponder is serving on (http:\/\/\S+)\/v1/.exec(stderr);
        if (serving?.[1]) resolve(serving[1]);
      });
      child.once("exit", () => reject(new Error(`ponder serve exited: ${stderr}`)));
    });
    for (const host of ["flag.example", "flag.example:9443", "config.example:1234"])
      assert.equal((await raw(url, "GET", "/v1/models", { host })).status, 200, host);
    assert.equal((await raw(url, "GET", "/v1/models", { host: "evil.example" })).status, 421);
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
  try {
    const refused = await runCli(["serve", "--port", "0", "--allowed-host", "http://x.example/"], env);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /Not a host name: http:\/\/x\.example\//);
  } finally {
    home.remove();
  }
});

const hundredMegabytes = 100 * 1024 * 1024;

/**
 * A client that sends its whole body before it reads a byte of the answer (as many simple HTTP
 * clients do): it sees the server's answer only if the server reads the body to its end instead of
 * closing the connection under it.
 */
function sendAllThenRead(url: string, chunked: boolean, contentType = "application/json"): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1");
    let answer = "";
    socket.on("error", reject);
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString("utf8")));
    socket.on("end", () => resolve(answer));
    const sendBody = async () => {
      socket.pause();
      const framing = chunked ? "transfer-encoding: chunked" : `content-length: ${hundredMegabytes}`;
      socket.write(`POST /v1/runs HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: ${contentType}\r\n${framing}\r\n\r\n`);
      const block = Buffer.alloc(1024 * 1024, " ");
      for (let index = 0; index < 100 && !socket.destroyed; index++) {
        const data = chunked ? Buffer.concat([Buffer.from(`${block.length.toString(16)}\r\n`), block, Buffer.from("\r\n")]) : block;
        if (!socket.write(data)) await new Promise((resolve) => socket.once("drain", resolve));
      }
      if (chunked) socket.write("0\r\n\r\n");
      socket.resume();
    };
    socket.once("connect", () => void sendBody().catch(reject));
  });
}

test("a 100 MB body gets a readable 413, whatever the client and the framing; the server goes on answering", async () => {
  const fixture = await startServerFixture(() => ({ text: "ok" }));
  const { url } = fixture.server;
  const folder = mkdtempSync(join(tmpdir(), "ponder-big-body-"));
  try {
    const huge = JSON.stringify({ input: "x".repeat(hundredMegabytes) });
    const declared = await fetch(`${url}/v1/runs`, { method: "POST", headers: { "content-type": "application/json" }, body: huge });
    assert.equal(declared.status, 413);
    assert.equal(((await declared.json()) as { error: { code: string } }).error.code, "body_too_large");

    // Chunked: no length up front, so the limit is found while reading.
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ === 100) controller.close();
        else controller.enqueue(new Uint8Array(1024 * 1024).fill(32));
      },
    });
    const chunked = await fetch(`${url}/v1/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    assert.equal(chunked.status, 413);
    assert.match(await chunked.text(), /body_too_large/);

    const client = fixture.client();
    const refused = await client.chat.completions
      .create({ model: "ponder", messages: [{ role: "user", content: "x".repeat(hundredMegabytes) }] })
      .catch((error: unknown) => error);
    assert.ok(refused instanceof APIError, String(refused));
    assert.equal(refused.status, 413);
    assert.match(refused.message, /larger than 33554432 bytes/, "the OpenAI endpoints take bodies up to 32 MB (images)");

    for (const framing of [false, true]) {
      const answer = await sendAllThenRead(url, framing);
      assert.match(answer, /^HTTP\/1\.1 413 /, `chunked: ${framing}`);
      assert.match(answer, /connection: close/i);
      assert.match(answer, /"code":"body_too_large"/);
    }
    // Any refusal of an unread body is read the same way, not only the 413.
    assert.match(await sendAllThenRead(url, false, "text/plain"), /^HTTP\/1\.1 415 [\s\S]*"code":"unsupported_media_type"/);

    const file = join(folder, "body.json");
    writeFileSync(file, Buffer.alloc(hundredMegabytes, " "));
    const curl = await new Promise<string>((resolve, reject) =>
      execFile(
        "curl",
        ["-sS", "-w", "\n%{http_code}", "-H", "content-type: application/json", "--data-binary", `@${file}`, `${url}/v1/runs`],
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message} ${stderr}`)) : resolve(stdout)),
      ),
    );
    assert.match(curl, /body_too_large[\s\S]*\n413$/);

    assert.equal(await runCount(fixture), 0);
    assert.equal((await fixture.request("POST", "/v1/runs", { body: { input: "still here" } })).status, 201);
  } finally {
    rmSync(folder, { recursive: true, force: true });
    await fixture.close();
  }
});

test("clients that are not browsers keep working: the openai package, curl, bodies without a type on action endpoints", async () => {
  const fixture = await startServerFixture(() => ({ text: "Answered." }));
  const { url } = fixture.server;
  try {
    const completion = await fixture
      .client()
      .chat.completions.create({ model: "ponder", messages: [{ role: "user", content: "Are you there?" }] });
    assert.equal(completion.choices[0]?.message.content, "Answered.");
    const response = await fixture.client().responses.create({ model: "ponder", input: "Are you there?" });
    assert.equal(response.output_text, "Answered.");

    const curl = (args: string[]) =>
      new Promise<string>((resolve, reject) =>
        execFile("curl", ["-sS", "-w", "\n%{http_code}", ...args], (error, stdout, stderr) =>
          error ? reject(new Error(stderr)) : resolve(stdout),
        ),
      );
    const created = await curl([
      "-H",
      "content-type: application/json; charset=utf-8",
      "-d",
      JSON.stringify({ input: "From curl." }),
      `${url}/v1/runs`,
    ]);
    assert.match(created, /\n201$/);
    const id = (JSON.parse(created.slice(0, created.lastIndexOf("\n"))) as { id: string }).id;
    // curl -d without a type sends a form type: refused, with a message that says what to send.
    const untyped = await curl(["-d", JSON.stringify({ input: "From curl." }), `${url}/v1/runs`]);
    assert.match(untyped, /Content-Type: application\/json[\s\S]*\n415$/);
    // An action with no body needs no type.
    const cancelled = await curl(["-X", "POST", `${url}/v1/runs/${id}/cancel`]);
    assert.match(cancelled, /\n(200|409)$/);
    assert.equal(
      (await raw(url, "POST", `/v1/runs/${id}/cancel`, { "content-type": "application/json" }, "{}")).status,
      409,
      "already finished, but accepted as a request",
    );
    assert.equal(
      (await raw(url, "POST", "/v1/runs", { "content-type": "application/json", "content-encoding": "identity" }, runBody)).status,
      201,
    );
  } finally {
    await fixture.close();
  }
});
