import { test } from "node:test";
import assert from "node:assert/strict";
import { startFakeOpenAIServer } from "../support/fake-openai-server.js";
import { runCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";

// `ponder runs` lists the questions asked (top-level runs) like the web UI; a best-of run's
// samples show with --all, --parent, and under `ponder show <parent>`; --limit and --after page.

type Listed = { id: string; parent_id: string | null; input: string };

test("ponder runs: top-level runs by default, children with --all or --parent, pages with --after", async () => {
  const server = await startFakeOpenAIServer(() => ({ text: "42" }));
  const home = temporaryHome();
  const env = { PONDER_HOME: home.path, OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL, PONDER_MODEL: "openai:gpt-4o" };
  const list = async (...args: string[]): Promise<Listed[]> => {
    const result = await runCli(["runs", "--json", ...args], env);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as Listed[];
  };
  try {
    const sampled = await runCli(["ask", "--samples", "2", "--tools", "", "--json", "What is 6 * 7, sampled?"], env);
    assert.equal(sampled.code, 0, sampled.stderr);
    const parent = (JSON.parse(sampled.stdout) as { runId: string }).runId;
    for (const question of ["What is 6 * 7, first?", "What is 6 * 7, second?"]) {
      assert.equal((await runCli(["ask", "--tools", "", question], env)).code, 0);
    }

    const topLevel = await list();
    assert.deepEqual(
      topLevel.map((run) => run.input),
      ["What is 6 * 7, second?", "What is 6 * 7, first?", "What is 6 * 7, sampled?"],
    );
    assert.equal(topLevel[2]?.id, parent);
    assert.ok(topLevel.every((run) => run.parent_id === null));

    const every = await list("--all");
    assert.equal(every.length, 5);
    const children = every.filter((run) => run.parent_id === parent).map((run) => run.id);
    assert.equal(children.length, 2, "the two samples");
    assert.deepEqual((await list("--parent", parent)).map((run) => run.id).sort(), [...children].sort());

    const shown = await runCli(["show", parent], env);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /child runs/);
    for (const child of children) assert.ok(shown.stdout.includes(child), `${child} in ${shown.stdout}`);

    // Two pages of two: the first says how to get the next; the last says nothing more.
    const first = await runCli(["runs", "--limit", "2"], env);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(
      first.stdout
        .trim()
        .split("\n")
        .map((line) => line.split(" ")[0]),
      [topLevel[0]?.id, topLevel[1]?.id],
    );
    assert.equal(first.stderr, `Older runs: add --after ${topLevel[1]?.id}\n`);
    const second = await runCli(["runs", "--limit", "2", "--after", topLevel[1]?.id ?? ""], env);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, new RegExp(`^${parent} .*\\[best-of-n\\] What is 6 \\* 7, sampled\\?\\n$`));
    assert.equal(second.stderr, "");

    const unknown = await runCli(["runs", "--after", "run_nope"], env);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, "ponder: --after run_nope: no run with that id.\nList runs with `ponder runs`.\n");
  } finally {
    await server.close();
    home.remove();
  }
});
