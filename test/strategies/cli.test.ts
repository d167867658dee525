import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeOpenAIServer } from "../support/fake-openai-server.js";
import { runCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";
import { requestKind } from "./strategy-server.js";

async function withCli(answers: string[], body: (env: Record<string, string>, home: string) => Promise<void>) {
  let next = 0;
  const server = await startFakeOpenAIServer((request) =>
    requestKind(request) === "sample" ? { text: answers[next++ % answers.length] as string } : { text: "VERDICT: TIE" },
  );
  const home = temporaryHome();
  try {
    await body({ PONDER_HOME: home.path, OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL, PONDER_MODEL: "openai:gpt-4o" }, home.path);
  } finally {
    await server.close();
    home.remove();
  }
}

test("ponder ask --samples --select vote prints the plurality; --json lists every child run, which `ponder show` opens", async () => {
  await withCli(["Final answer: 42", "Final answer: 41", "Final answer: 42"], async (env) => {
    const plain = await runCli(["ask", "--samples", "3", "--concurrency", "1", "--tools", "", "What is 6 * 7?"], env);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout.trim(), "Final answer: 42");
    assert.match(plain.stderr, /3 of 3 samples answered/);
    assert.match(plain.stderr, /67%\s+2/);

    const json = await runCli(["ask", "--samples", "3", "--select", "vote", "--json", "What is 6 * 7?"], env);
    assert.equal(json.code, 0, json.stderr);
    const result = JSON.parse(json.stdout);
    assert.equal(result.children.length, 3);
    assert.equal(result.winner.runIds.length, 2);
    const shown = await runCli(["show", result.children[0].runId], env);
    assert.equal(shown.code, 0, shown.stderr);
    const parent = await runCli(["show", "--json", result.runId], env);
    assert.equal(JSON.parse(parent.stdout).status, "completed");
  });
});

test("ponder ask --verify runs Python tests in the sandbox and beats a wrong majority", async () => {
  await withCli(["Final answer: 12", "Final answer: 13", "Final answer: 12"], async (env, home) => {
    const tests = join(home, "tests.py");
    writeFileSync(tests, 'answer = open("/workspace/answer.txt").read().strip()\nassert answer == "13", f"5 + 8 is not {answer}"\n');
    const result = await runCli(["ask", "--samples", "3", "--verify", tests, "--tools", "", "What is 5 + 8?"], env);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), "Final answer: 13");
    assert.match(result.stderr, /5 \+ 8 is not 12/);
  });
});

test("ponder ask --until-confident stops early on agreement", async () => {
  await withCli(["Final answer: 42"], async (env) => {
    const result = await runCli(["ask", "--until-confident", "0.8", "--max-samples", "16", "--json", "--tools", "", "What is 6 * 7?"], env);
    assert.equal(result.code, 0, result.stderr);
    const parsed = JSON.parse(result.stdout);
    assert.equal(parsed.samples.launched, 2);
    assert.ok(parsed.confidence >= 0.8);
  });
});
