import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { startFakeOpenAIServer, type FakeTurn, type RequestBody } from "../support/fake-openai-server.js";
import { toolResults } from "../support/conversation.js";
import { runCli, spawnCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";

// Two Python calls with side effects on a file in the workspace, then an answer. The second call
// waits for a release file the test writes after the kill, so the process can be killed while it
// runs, however slow the machine. Stateless, so it serves restarted processes.
const appendA = "open('log.txt', 'a').write('A\\n'); print('A done')";
const appendB = [
  "import os, time",
  "while not os.path.exists('release'): time.sleep(0.05)",
  "open('log.txt', 'a').write('B\\n'); print('B done')",
].join("\n");

function script(slowSecondTurn: boolean) {
  return (body: RequestBody): FakeTurn => {
    const results = toolResults(body);
    if (results.length === 0) return { toolCalls: [{ name: "python", arguments: JSON.stringify({ code: appendA }) }] };
    if (results.length === 1)
      return {
        ...(slowSecondTurn ? { delayMs: 3000 } : {}),
        toolCalls: [{ name: "python", arguments: JSON.stringify({ code: appendB }) }],
      };
    return { text: `Both steps ran: ${results.map((result) => result.trim()).join(", ")}.` };
  };
}

type KillPoint = { name: string; slowSecondTurn: boolean; ready: (state: { outputs: number; calls: number; requests: number }) => boolean };

const killPoints: KillPoint[] = [
  { name: "right after the first model turn was saved", slowSecondTurn: false, ready: ({ calls }) => calls >= 1 },
  { name: "while the second model turn streams", slowSecondTurn: true, ready: ({ outputs, requests }) => outputs >= 1 && requests >= 2 },
  { name: "while the second tool call runs", slowSecondTurn: false, ready: ({ outputs, calls }) => outputs >= 1 && calls >= 2 },
];

function databaseState(path: string): { runId?: string; outputs: number; calls: number } {
  if (!existsSync(path)) return { outputs: 0, calls: 0 };
  const database = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const run = database.prepare("SELECT id FROM runs LIMIT 1").get() as { id: string } | undefined;
    const count = (type: string) =>
      (database.prepare("SELECT COUNT(*) AS n FROM items WHERE json_extract(item, '$.type') = ?").get(type) as { n: number }).n;
    return { runId: run?.id, outputs: count("function_call_output"), calls: count("function_call") };
  } catch {
    return { outputs: 0, calls: 0 };
  } finally {
    database.close();
  }
}

for (const point of killPoints) {
  test(`a run killed with SIGKILL ${point.name} resumes; no call ran twice, and one the kill interrupted is reported with its outcome unknown`, async () => {
    const server = await startFakeOpenAIServer(script(point.slowSecondTurn));
    const home = temporaryHome();
    // A fixed effort: the scripted turns are the run's own, with no `--effort auto` classification turn first.
    const env = {
      PONDER_HOME: home.path,
      OPENAI_API_KEY: "k",
      OPENAI_BASE_URL: server.baseURL,
      PONDER_MODEL: "openai:gpt-4o",
      PONDER_EFFORT: "medium",
    };
    const databasePath = join(home.path, "ponder.db");
    try {
      const child = spawnCli(["ask", "Run both steps."], env);
      let alive = true;
      const exited = new Promise((resolve) => child.on("exit", resolve)).then(() => (alive = false));
      let state = databaseState(databasePath);
      // Waits for the kill point however long a loaded machine takes; the run cannot finish first (B waits).
      while (!point.ready({ ...state, requests: server.requests.length })) {
        assert.ok(alive, `the process ended before the kill point: ${JSON.stringify(state)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
        state = databaseState(databasePath);
      }
      child.kill("SIGKILL");
      await exited;
      const runId = state.runId as string;
      const workspace = join(home.path, "runs", runId, "workspace");
      mkdirSync(workspace, { recursive: true });
      writeFileSync(join(workspace, "release"), "");
      // What the dead process left: the calls are sequential, so call i was saved if i < calls,
      // and finished if i < outputs. Python does not declare repeating safe: a saved call without
      // an output was in flight (its mark commits with its turn), so it must not run again.
      const left = databaseState(databasePath);

      const listed = JSON.parse((await runCli(["runs", "--json"], env)).stdout);
      assert.equal(listed[0].id, runId);
      assert.equal(listed[0].status, "running");
      assert.equal(listed[0].interrupted, true, "the dead process is noticed");

      const resumed = await runCli(["resume", runId, "--json"], env);
      assert.equal(resumed.code, 0, resumed.stderr);
      const run = JSON.parse(resumed.stdout);
      assert.equal(run.status, "completed");
      const outputs: { call_id: string; output: string; error_kind?: string }[] = run.items.filter(
        (item: { type: string }) => item.type === "function_call_output",
      );
      assert.equal(new Set(outputs.map((output) => output.call_id)).size, 2, "one output per call");
      assert.equal(outputs.length, 2);
      const log = readFileSync(join(home.path, "runs", runId, "workspace", "log.txt"), "utf8");
      outputs.forEach((output, index) => {
        const letter = index === 0 ? "A" : "B";
        const ran = log.split("\n").filter((line) => line === letter).length;
        if (index < left.calls && index >= left.outputs) {
          assert.equal(output.error_kind, "unknown_outcome", `call ${letter} was in flight at the kill: ${output.output}`);
          assert.ok(ran <= 1, `${letter} was not run again`);
        } else {
          assert.match(output.output, new RegExp(`^${letter} done`));
          assert.equal(ran, 1, `${letter} ran once`);
        }
      });
      assert.ok(run.items.some((item: { type: string; kind?: string }) => item.type === "note" && item.kind === "resumed"));
    } finally {
      await server.close();
      home.remove();
    }
  });
}
