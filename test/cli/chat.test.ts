import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { startFakeOpenAIServer, type FakeTurn, type RequestBody } from "../support/fake-openai-server.js";
import { userTexts } from "../support/conversation.js";
import { conversationScript, firstAnswer, firstQuestion, followUpQuestion } from "../support/conversation-script.js";
import { cliPath, runCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";

const escapeSequences = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, "g");

// `ponder chat` in a real pseudo-terminal: util-linux `script` runs it on a pty whose input is
// what the test types (so readline sees a terminal: echo, Ctrl-C as a key) and whose output is
// everything the chat writes, stdout and stderr.
function chatInTerminal(args: string[], env: Record<string, string>) {
  const command = [process.execPath, cliPath, "chat", ...args].map((word) => `'${word}'`).join(" ");
  const child = spawn("script", ["-qfec", command, "/dev/null"], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: env.PONDER_HOME ?? "/nonexistent", TERM: "dumb", ...env },
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const waiters = new Set<() => void>();
  child.stdout.on("data", (chunk: Buffer) => {
    // Without the terminal's control sequences and carriage returns, the text reads as printed.
    output += chunk.toString().replace(escapeSequences, "").replace(/\r/g, "");
    for (const waiter of waiters) waiter();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return {
    type: (text: string) => child.stdin.write(text),
    /** Resolves with the output once it matches (the test's timeout bounds the wait). */
    waitFor: (pattern: RegExp) =>
      new Promise<RegExpExecArray>((resolve) => {
        const check = () => {
          const match = pattern.exec(output);
          if (!match) return;
          waiters.delete(check);
          resolve(match);
        };
        waiters.add(check);
        check();
      }),
    output: () => output,
    /** SIGKILL to the terminal and the chat in it. */
    killHard: () => process.kill(-(child.pid as number), "SIGKILL"),
    exited,
  };
}

const slowQuestion = "Take your time.";
const remembered = /The token was [0-9a-f]{8}; note\.txt holds it reversed\./;

test("ponder chat in a terminal: a question, a kill -9 between turns, --continue with the history, a follow-up that remembers, Ctrl-C cancelling a turn but not the chat, /usage, /exit", async () => {
  let slowAsked: () => void = () => undefined;
  const slowTurnStarted = new Promise<void>((resolve) => (slowAsked = resolve));
  const handler = (body: RequestBody): FakeTurn => {
    if (!userTexts(body).some((text) => text.includes(slowQuestion))) return conversationScript(body);
    slowAsked();
    return { text: "too late", delayMs: 60_000 };
  };
  const server = await startFakeOpenAIServer(handler);
  const home = temporaryHome();
  const env = {
    PONDER_HOME: home.path,
    OPENAI_API_KEY: "k",
    OPENAI_BASE_URL: server.baseURL,
    PONDER_MODEL: "openai:gpt-4o",
    PONDER_EFFORT: "medium",
  };
  try {
    const first = chatInTerminal([], env);
    first.type(`${firstQuestion}\r`);
    const [, conversationId] = await first.waitFor(/conversation (run_\w+) · continue it later/);
    // The answer as printed when the turn has ended (followed by its usage line), not as the live view streams it.
    await first.waitFor(new RegExp(`${firstAnswer.replace(/\./g, "\\.")}\\n${conversationId} · `));
    first.killHard();
    await first.exited;

    const second = chatInTerminal(["--continue", conversationId as string], env);
    await second.waitFor(new RegExp(`> ${firstQuestion.replace(/\./g, "\\.")}\\n${firstAnswer.replace(/\./g, "\\.")}`));
    second.type(`${followUpQuestion}\r`);
    await second.waitFor(remembered);
    second.type(`${slowQuestion}\r`);
    await slowTurnStarted;
    second.type("\x03");
    await second.waitFor(/Turn cancelled\./);
    second.type("/usage\r");
    await second.waitFor(/conversation total: /);
    assert.match(second.output(), /conversation run_\w+: 3 turns/);
    second.type("/exit\r");
    assert.equal(await second.exited, 0, second.output());

    const runs = JSON.parse((await runCli(["runs", "--json"], env)).stdout) as { status: string; conversation_id: string }[];
    assert.deepEqual(
      runs.map((run) => [run.status, run.conversation_id]),
      [
        ["cancelled", conversationId],
        ["completed", conversationId],
        ["completed", conversationId],
      ],
    );
  } finally {
    await server.close();
    home.remove();
  }
});
