import { test } from "node:test";
import assert from "node:assert/strict";
import { startFakeOpenAIServer, type RequestBody } from "../support/fake-openai-server.js";
import { runCli, spawnCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";

async function withModel(
  turns: Parameters<typeof startFakeOpenAIServer>[0],
  body: (env: Record<string, string>, requests: () => RequestBody[]) => Promise<void>,
): Promise<void> {
  const server = await startFakeOpenAIServer(turns);
  const home = temporaryHome();
  try {
    await body(
      {
        PONDER_HOME: home.path,
        OPENAI_API_KEY: "k",
        OPENAI_BASE_URL: server.baseURL,
        PONDER_MODEL: "openai:gpt-4o",
        PONDER_EFFORT: "medium",
      },
      () => server.requests.map((request) => request.body),
    );
  } finally {
    await server.close();
    home.remove();
  }
}

test("an unknown flag is one clean line with the nearest known flag, exit 2", async () => {
  const home = temporaryHome();
  try {
    const result = await runCli(["ask", "--max-step", "3", "What is 2 + 2?"], { PONDER_HOME: home.path });
    assert.equal(result.code, 2);
    assert.equal(result.stderr, "ponder ask: unknown option --max-step.\nDid you mean --max-steps? See `ponder ask --help`.\n");
    const far = await runCli(["runs", "--zebra"], { PONDER_HOME: home.path });
    assert.equal(far.code, 2);
    assert.equal(far.stderr, "ponder runs: unknown option --zebra.\nSee `ponder runs --help`.\n");
  } finally {
    home.remove();
  }
});

test("a sampling flag without --samples is an error, not silently ignored (exit 2)", () =>
  withModel([{ text: "4" }], async (env, requests) => {
    const result = await runCli(["ask", "--select", "judge", "What is 2 + 2?"], env);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /--select chooses among samples, but this question is asked once\.\nAdd --samples <n>/);
    assert.equal(requests().length, 0, "nothing ran");
  }));

test("ponder show of an unknown run id exits 2", async () => {
  const home = temporaryHome();
  try {
    const result = await runCli(["show", "run_nope"], { PONDER_HOME: home.path });
    assert.equal(result.code, 2);
    assert.equal(result.stderr, "ponder: No run with id run_nope.\nList runs with `ponder runs`.\n");
  } finally {
    home.remove();
  }
});

test("ponder show marks a tool output that reports a failure as failed, not ✓", () =>
  withModel(
    [
      { toolCalls: [{ name: "python", arguments: JSON.stringify({ code: "print(undefined_name)" }) }] },
      { toolCalls: [{ name: "python", arguments: JSON.stringify({ code: "print(6 * 7)" }) }] },
      { text: "42" },
    ],
    async (env) => {
      const asked = await runCli(["ask", "--json", "What is six times seven?"], env);
      assert.equal(asked.code, 0, asked.stderr);
      const shown = await runCli(["show", JSON.parse(asked.stdout).id], env);
      const outputs = shown.stdout.split("\n").filter((line) => /^\s+(✓|✗)/.test(line));
      assert.equal(outputs.length, 2, shown.stdout);
      assert.match(outputs[0] ?? "", /^\s+✗ failed Error: .*NameError/);
      assert.match(outputs[1] ?? "", /^\s+✓ 42/);
    },
  ));

test("ponder submit takes the budget and tool flags of ponder ask", () =>
  withModel([{ text: "4" }], async (env, requests) => {
    const submitted = await runCli(
      ["submit", "What is 2 + 2?", "--deadline", "90s", "--max-steps", "3", "--budget-cost", "0.5", "--tools", "python", "--json"],
      env,
    );
    assert.equal(submitted.code, 0, submitted.stderr);
    const { id } = JSON.parse(submitted.stdout);
    const watched = await runCli(["watch", id], env);
    assert.equal(watched.stdout, "4\n", watched.stderr);
    const run = JSON.parse((await runCli(["show", id, "--json"], env)).stdout);
    assert.equal(run.budget.timeoutMs, 90_000);
    assert.equal(run.budget.maxSteps, 3);
    assert.equal(run.budget.maxCostUsd, 0.5);
    const offered = (requests()[0]?.tools ?? []).map(
      (tool: { name?: string; function?: { name: string } }) => tool.name ?? tool.function?.name,
    );
    assert.deepEqual(offered, ["python"], "the worker offered only the tools the flag named");

    const refused = await runCli(["submit", "What is 2 + 2?", "--samples", "3", "--max-steps", "3"], env);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /a strategy's budget is its total/);
  }));

test("ponder serve prints the web UI's address, and the UI answers there", async () => {
  const home = temporaryHome();
  const child = spawnCli(["serve", "--port", "0"], { PONDER_HOME: home.path, OPENAI_API_KEY: "k" });
  try {
    let stderr = "";
    const address = await new Promise<string>((resolve, reject) => {
      child.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        const found = /^The web UI: (http:\/\/\S+\/)$/m.exec(stderr);
        if (found?.[1]) resolve(found[1]);
      });
      child.on("exit", () => reject(new Error(`serve ended: ${stderr}`)));
    });
    const page = await fetch(address);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /text\/html/);
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("close", resolve));
    home.remove();
  }
});
