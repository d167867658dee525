import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveStaticFile, webRoot } from "../../src/server/static-files.js";
import { startServerFixture } from "./server-fixture.js";

type RawAnswer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** A request with the path sent exactly as given: fetch would normalise `..` away before sending. */
function rawRequest(url: string, path: string, method = "GET"): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: hostname, port, path, method }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }),
      );
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

test("ponder serve serves the built UI at / without a key, falls back to index.html, and keeps /v1/ JSON", async () => {
  const fixture = await startServerFixture(() => ({ text: "ok" }), { tenants: ["alice"] });
  try {
    const index = readFileSync(join(webRoot, "index.html"), "utf8");
    const root = await fetch(`${fixture.server.url}/`);
    assert.equal(root.status, 200, "static files need no key");
    assert.match(root.headers.get("content-type") ?? "", /^text\/html/);
    assert.equal(root.headers.get("cache-control"), "no-cache");
    assert.match(root.headers.get("content-security-policy") ?? "", /script-src 'self'/);
    assert.equal(await root.text(), index);

    assert.equal(await (await fetch(`${fixture.server.url}/runs/run_123`)).text(), index, "an unknown path is the app");
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1];
    assert.ok(script, "index.html names its script");
    const asset = await fetch(`${fixture.server.url}${script}`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get("content-type") ?? "", /^text\/javascript/);
    assert.match(asset.headers.get("cache-control") ?? "", /immutable/);
    assert.equal((await fetch(`${fixture.server.url}/assets/missing-file.js`)).status, 404, "a missing asset is not answered with HTML");

    const head = await rawRequest(fixture.server.url, "/", "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.body, "");

    for (const path of [
      "/../../package.json",
      "/..%2f..%2f..%2fpackage.json",
      "/assets/..%2f..%2f..%2fpackage.json",
      "/%2e%2e/%2e%2e/%2e%2e/package.json",
      "/..%5c..%5cpackage.json",
      "/%00index.html",
    ]) {
      const answer = await rawRequest(fixture.server.url, path);
      assert.equal(answer.status, 404, path);
      assert.doesNotMatch(answer.body, /"name": "ponder"/, path);
    }
    assert.equal((await rawRequest(fixture.server.url, "/%E0%A4%A")).status, 400, "bad URL encoding");

    const missingRoute = await fetch(`${fixture.server.url}/v1/nonexistent`, {
      headers: { authorization: `Bearer ${fixture.keys.alice}` },
    });
    assert.equal(missingRoute.status, 404);
    assert.equal(((await missingRoute.json()) as { error: { code: string } }).error.code, "unknown_route");
    const withoutKey = await fetch(`${fixture.server.url}/v1/runs`);
    assert.equal(withoutKey.status, 401, "the API still needs the key");
    assert.equal((await fetch(`${fixture.server.url}/`, { method: "POST" })).status, 404, "only GET and HEAD reach the static files");
  } finally {
    await fixture.close();
  }
});

test("static files: links out of the folder are refused, and an unbuilt UI says how to build it", async () => {
  const folder = mkdtempSync(join(tmpdir(), "ponder-static-"));
  const built = join(folder, "built");
  const empty = join(folder, "empty");
  mkdirSync(join(built, "assets"), { recursive: true });
  mkdirSync(empty);
  writeFileSync(join(folder, "secret.txt"), "outside the UI");
  writeFileSync(join(built, "index.html"), "<!doctype html><title>app</title>");
  symlinkSync(join(folder, "secret.txt"), join(built, "assets", "leak.txt"));
  let root = built;
  const server: Server = createServer(
    (request, response) => void serveStaticFile(request, response, new URL(request.url ?? "/", "http://x").pathname, root),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const leak = await fetch(`${url}/assets/leak.txt`);
    assert.equal(leak.status, 404);
    assert.doesNotMatch(await leak.text(), /outside the UI/);
    assert.equal(await (await fetch(`${url}/some/page`)).text(), "<!doctype html><title>app</title>");

    root = empty;
    const unbuilt = await fetch(`${url}/`);
    assert.equal(unbuilt.status, 503);
    assert.match(await unbuilt.text(), /npm run build/);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    rmSync(folder, { recursive: true, force: true });
  }
});
