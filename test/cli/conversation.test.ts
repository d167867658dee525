import { test } from "node:test";
import assert from "node:assert/strict";
import { startFakeOpenAIServer, type FakeTurn, type RequestBody } from "../support/fake-openai-server.js";
import { conversationScript, firstAnswer, firstQuestion, followUpQuestion, rememberedAnswer } from "../support/conversation-script.js";
import { runCli, spawnCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";

// `ponder ask --continue` and `ponder show` over a real HTTP fake model and the real Python sandbox.
async function withCli(handler: (body: RequestBody) => FakeTurn, body: (env: Record<string, string>) => Promise<void>) {
  const server = await startFakeOpenAIServer(handler);
  const home = temporaryHome();
  // A fixed effort: the scripted turns are the runs' own, with no `--effort auto` classification turn first.
  const env = {
    PONDER_HOME: home.path,
    OPENAI_API_KEY: "k",
    OPENAI_BASE_URL: server.baseURL,
    PONDER_MODEL: "openai:gpt-4o",
    PONDER_EFFORT: "medium",
  };
  try {
    await body(env);
  } finally {
    await server.close();
    home.remove();
  }
}

test("ponder ask --continue answers from the first turn's tool output and workspace; show and --json give the conversation's turns", async () => {
  await withCli(conversationScript, async (env) => {
    const first = await runCli(["ask", firstQuestion, "--json"], env);
    assert.equal(first.code, 0, first.stderr);
    const firstRun = JSON.parse(first.stdout);
    assert.equal(firstRun.answer, firstAnswer);

    const second = await runCli(["ask", "--continue", firstRun.id, followUpQuestion, "--json"], env);
    assert.equal(second.code, 0, second.stderr);
    const secondRun = JSON.parse(second.stdout);
    assert.match(secondRun.answer, rememberedAnswer);
    assert.equal(secondRun.conversation_id, firstRun.id);
    assert.equal(secondRun.previous_run_id, firstRun.id);
    assert.deepEqual(
      secondRun.conversation.turns.map((turn: { id: string }) => turn.id),
      [firstRun.id, secondRun.id],
    );
    assert.equal(
      secondRun.conversation.usage.steps,
      firstRun.usage.steps + secondRun.usage.steps,
      "the conversation's usage is the sum of its turns'",
    );

    const shown = await runCli(["show", firstRun.id], env);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /conversation .*: 2 turns/);
    assert.match(shown.stdout, new RegExp(`1\\. ${firstRun.id}  completed  ${firstQuestion}`));
    assert.match(shown.stdout, new RegExp(`2\\. ${secondRun.id}  completed  What was the token`));
    assert.match(shown.stdout, /conversation total: /);
  });
});

test("ponder ask --continue with an unknown id exits 2 and says so; with --samples it is refused", async () => {
  await withCli(conversationScript, async (env) => {
    const unknown = await runCli(["ask", "--continue", "run_nope", "And then?"], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--continue run_nope: there is no run or conversation with that id/);
    const sampled = await runCli(["ask", "--continue", "run_nope", "--samples", "3", "And then?"], env);
    assert.equal(sampled.code, 2);
    assert.match(sampled.stderr, /--continue asks one follow-up turn/);
  });
});

test("a follow-up killed with SIGKILL in the middle of its turn resumes with the same context and workspace", async () => {
  let reachAnswer: () => void = () => undefined;
  const answerAsked = new Promise<void>((resolve) => (reachAnswer = resolve));
  let held = false;
  // The follow-up's answering turn is held the first time it is asked, so the process can be killed there.
  const holdingAnswer = (body: RequestBody): FakeTurn => {
    const turn = conversationScript(body);
    if (held || !rememberedAnswer.test(turn.text ?? "")) return turn;
    held = true;
    reachAnswer();
    return { ...turn, delayMs: 60_000 };
  };
  await withCli(holdingAnswer, async (env) => {
    const first = JSON.parse((await runCli(["ask", firstQuestion, "--json"], env)).stdout);
    const child = spawnCli(["ask", "--continue", first.id, followUpQuestion], env);
    const exited = new Promise((resolve) => child.on("exit", resolve));
    await answerAsked;
    child.kill("SIGKILL");
    await exited;

    const [latest] = JSON.parse((await runCli(["runs", "--json"], env)).stdout);
    assert.equal(latest.previous_run_id, first.id);
    assert.equal(latest.interrupted, true);
    const resumed = await runCli(["resume", latest.id, "--json"], env);
    assert.equal(resumed.code, 0, resumed.stderr);
    const run = JSON.parse(resumed.stdout);
    assert.equal(run.status, "completed");
    assert.match(run.answer, rememberedAnswer);
    assert.ok(run.items.some((item: { type: string; kind?: string }) => item.type === "note" && item.kind === "resumed"));
  });
});
