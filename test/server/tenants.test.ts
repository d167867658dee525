import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { emptyUsage } from "../../src/core/budget.js";
import { runSchemaVersion } from "../../src/core/run.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { runWorkspaceOf } from "../../src/config/ponder-home.js";
import { ApiKeyStore } from "../../src/server/api-keys.js";
import { keepArtifact } from "../../src/tools/files/kept-artifacts.js";
import { startServerFixture } from "./server-fixture.js";

test("one tenant never sees or touches another's runs: every endpoint answers 404", async () => {
  const fixture = await startServerFixture(() => ({ text: "mine" }), { tenants: ["alpha", "beta"] });
  const alpha = fixture.keys.alpha as string;
  const beta = fixture.keys.beta as string;
  try {
    const created = await fixture.request("POST", "/v1/runs", { key: alpha, body: { input: "secret work" } });
    assert.equal(created.status, 201);
    const { id } = (await created.json()) as { id: string };
    const background = await fixture.client(alpha).responses.create({ model: "ponder", input: "secret", background: true });
    for (const [method, path, body] of [
      ["GET", `/v1/runs/${id}`],
      ["GET", `/v1/runs/${id}/events`],
      ["GET", `/v1/runs/${id}/artifacts/art_x`],
      ["POST", `/v1/runs/${id}/approve`, {}],
      ["POST", `/v1/runs/${id}/deny`, {}],
      ["POST", `/v1/runs/${id}/steer`, { message: "hi" }],
      ["POST", `/v1/runs/${id}/cancel`],
      ["GET", `/v1/responses/${background.id}`],
      ["POST", `/v1/responses/${background.id}/cancel`],
    ] as const) {
      const response = await fixture.request(method, path, { key: beta, ...(body ? { body } : {}) });
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, "run_not_found");
    }
    const betaList = (await (await fixture.request("GET", "/v1/runs", { key: beta })).json()) as { data: unknown[] };
    assert.equal(betaList.data.length, 0);
    const alphaList = (await (await fixture.request("GET", "/v1/runs", { key: alpha })).json()) as { data: { id: string }[] };
    assert.deepEqual(new Set(alphaList.data.map((run) => run.id)), new Set([id, background.id]));
    assert.equal((await fixture.request("GET", `/v1/runs/${id}`, { key: alpha })).status, 200);
  } finally {
    await fixture.close();
  }
});

test("keys: none, a wrong one and a revoked one are refused with 401", async () => {
  const fixture = await startServerFixture(() => ({ text: "hi" }), { tenants: ["alpha"] });
  try {
    assert.equal((await fixture.request("GET", "/v1/models")).status, 401);
    assert.equal((await fixture.request("GET", "/v1/models", { key: "key_nope.secret" })).status, 401);
    const forged = `${(fixture.keys.alpha as string).split(".")[0]}.not-the-secret`;
    assert.equal((await fixture.request("GET", "/v1/models", { key: forged })).status, 401);
    await assert.rejects(fixture.client("wrong").models.list(), (error: { status?: number }) => error.status === 401);
    assert.equal((await fixture.request("GET", "/v1/models", { key: fixture.keys.alpha })).status, 200);
    const keys = new ApiKeyStore(join(fixture.home, "ponder.db"));
    assert.ok(keys.revoke((fixture.keys.alpha as string).split(".")[0] as string));
    const other = keys.create("other");
    keys.close();
    assert.equal((await fixture.request("GET", "/v1/models", { key: fixture.keys.alpha })).status, 401);
    assert.equal((await fixture.request("GET", "/v1/models", { key: other.key })).status, 200);
  } finally {
    await fixture.close();
  }
});

test("artifacts are served only from their kept copies: workspace paths are 410, links and paths outside never served", async () => {
  const fixture = await startServerFixture(() => ({ text: "hi" }));
  try {
    const store = new SqliteRunStore(join(fixture.home, "ponder.db"));
    const now = new Date().toISOString();
    const id = "run_artifacts";
    await store.createRun({
      schemaVersion: runSchemaVersion,
      id,
      status: "completed",
      spec: { model: "openai:gpt-5-mini", input: "plot", effort: "low", budget: {}, tools: [] },
      createdAt: now,
      updatedAt: now,
      usage: emptyUsage(),
    });
    const workspace = runWorkspaceOf(fixture.home, id);
    mkdirSync(workspace, { recursive: true });
    writeFileSync(join(workspace, "plot.png"), "PNGDATA");
    writeFileSync(join(fixture.home, "outside.txt"), "SECRET");
    const kept = await keepArtifact(workspace, join(workspace, "plot.png"));
    assert.ok(kept && kept.path !== join(workspace, "plot.png"), "the artifact was copied out of the workspace");
    writeFileSync(join(workspace, "plot.png"), "CHANGED");
    const keptLink = join(fixture.home, "runs", id, "artifacts", "planted", "link.png");
    mkdirSync(join(keptLink, ".."), { recursive: true });
    symlinkSync(join(fixture.home, "outside.txt"), keptLink);
    const artifact = (itemId: string, path: string) => ({
      type: "artifact" as const,
      id: itemId,
      name: "plot.png",
      path,
      media_type: "image/png",
      bytes: 7,
    });
    await store.appendItems(id, 1, [
      artifact("art_ok", kept.path),
      artifact("art_workspace", join(workspace, "plot.png")),
      artifact("art_link", keptLink),
      artifact("art_out", join(fixture.home, "outside.txt")),
      artifact("art_dots", `${kept.path}/../../../../../outside.txt`),
    ]);
    await store.close();

    const ok = await fixture.request("GET", `/v1/runs/${id}/artifacts/art_ok`);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get("content-type"), "image/png");
    assert.equal(await ok.text(), "PNGDATA", "the copy made when it was recorded, not the file as it is now");
    for (const itemId of ["art_workspace", "art_link", "art_out", "art_dots"]) {
      const refused = await fixture.request("GET", `/v1/runs/${id}/artifacts/${itemId}`);
      assert.equal(refused.status, 410, itemId);
      const body = await refused.text();
      assert.doesNotMatch(body, /SECRET|CHANGED/);
      assert.match(body, /"code":"artifact_(not_kept|gone)"/);
    }
    assert.equal((await fixture.request("GET", `/v1/runs/${id}/artifacts/art_missing`)).status, 404);
  } finally {
    await fixture.close();
  }
});

test("without keys the server will not listen beyond 127.0.0.1", async () => {
  const { startPonderServer } = await import("../../src/server/ponder-server.js");
  const fixture = await startServerFixture(() => ({ text: "hi" }));
  try {
    const server = await startPonderServer({
      port: 0,
      host: "0.0.0.0",
      env: { PONDER_HOME: fixture.home, PONDER_MODEL: "openai:gpt-5-mini" },
      cwd: fixture.home,
    });
    assert.equal(server.host, "127.0.0.1");
    assert.equal(server.keysRequired, false);
    await server.close();
  } finally {
    await fixture.close();
  }
});
