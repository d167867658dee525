import { test } from "node:test";
import assert from "node:assert/strict";
import { runCli } from "../support/run-cli.js";
import { startServerFixture } from "./server-fixture.js";

test("the local user's key (keys create, no --tenant) sees the CLI's runs, and the CLI sees the UI's; a tenant's key sees neither", async () => {
  const fixture = await startServerFixture(() => ({ text: "done" }));
  const env = {
    PONDER_HOME: fixture.home,
    OPENAI_API_KEY: "test-key",
    OPENAI_BASE_URL: fixture.model.baseURL,
    PONDER_MODEL: "openai:gpt-5-mini",
    PONDER_EFFORT: "low",
  };
  try {
    const asked = await runCli(["ask", "--json", "Say done."], env);
    assert.equal(asked.code, 0, asked.stderr);
    const cliRun = JSON.parse(asked.stdout).id as string;

    // As the README shows: a key for the server, made with no tenant named.
    const created = await runCli(["keys", "create", "--json"], env);
    assert.equal(created.code, 0, created.stderr);
    const local = JSON.parse(created.stdout);
    assert.equal(local.tenant, "local");
    const alice = JSON.parse((await runCli(["keys", "create", "--tenant", "alice", "--json"], env)).stdout).key as string;

    const seen = await fixture.request("GET", `/v1/runs/${cliRun}`, { key: local.key });
    assert.equal(seen.status, 200, "the local key sees the CLI's run");
    const listed = (await (await fixture.request("GET", "/v1/runs", { key: local.key })).json()) as { data: { id: string }[] };
    assert.ok(listed.data.some((run) => run.id === cliRun));

    const fromUi = await fixture.request("POST", "/v1/runs", { key: local.key, body: { input: "Say done." } });
    assert.equal(fromUi.status, 201);
    const uiRun = ((await fromUi.json()) as { id: string }).id;
    const shown = await runCli(["show", uiRun, "--json"], env);
    assert.equal(shown.code, 0, "the CLI sees the run started with the local key");

    assert.equal((await fixture.request("GET", `/v1/runs/${cliRun}`, { key: alice })).status, 404, "another tenant does not");
    const aliceList = (await (await fixture.request("GET", "/v1/runs", { key: alice })).json()) as { data: { id: string }[] };
    assert.deepEqual(aliceList.data, []);
  } finally {
    await fixture.close();
  }
});
