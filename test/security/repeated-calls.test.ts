// kill -9 during side-effecting tool calls, many times and at different moments, on the CLI and on
// BullMQ workers: a call is never run again silently; one whose tool declares repeating safe is
// run again; the others are reported to the model with their outcome unknown. And a run id that
// `ponder ask` printed always names a stored run, which `ponder resume` continues (on SQLite and on
// PostgreSQL, where a commit takes a round trip and the old gap showed at once).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Item } from "../../src/core/items.js";
import { resolveSettings } from "../../src/config/resolve-settings.js";
import { BullmqExecutor } from "../../src/queue/bullmq-executor.js";
import { createQueuedRun } from "../../src/queue/create-queued-run.js";
import { PostgresRunStore } from "../../src/store/postgres-run-store.js";
import { startFakeOpenAIServer, type FakeTurn, type RequestBody } from "../support/fake-openai-server.js";
import { toolResults } from "../support/conversation.js";
import { runCli, spawnCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";
import { temporarySchema, testDatabaseUrl } from "../store/contract-postgres-schema.js";
import { queueTestPlace, spawnWorker, waitFor, type CommandProcess } from "../queue/queue-test-support.js";

const counterServerPath = fileURLToPath(new URL("./fixtures/counter-server.js", import.meta.url));

// Python does not declare repeating safe; nor does counter__append_once; counter__append_again
// declares itself idempotent. Each appends a line, then waits for a `release` file.
const pythonCode = [
  "import os, time",
  "open('count.txt', 'a').write('x\\n')",
  "while not os.path.exists('release'): time.sleep(0.01)",
  "print('python appended')",
].join("\n");

/** When the process is killed: its model turn asked; its calls running; just let go; its answer asked. */
type Moment = "model-asked" | "calls-running" | "calls-released" | "answer-asked";

type Round = { moment: Moment; directory: string; turnRequests: number; answerRequests: number };

type Tally = { rounds: number; silentRepeats: number; declaredRepeats: number; unknownOutcomes: number };

const held = 120_000;

/** The model: three calls at once, then an answer. The round's moment says which request to hold until the process dies. */
function modelScript(current: () => Round) {
  return (body: RequestBody): FakeTurn => {
    const round = current();
    if (toolResults(body).length === 0) {
      round.turnRequests++;
      return {
        ...(round.moment === "model-asked" && round.turnRequests === 1 ? { delayMs: held } : {}),
        toolCalls: [
          { name: "python", arguments: JSON.stringify({ code: pythonCode }) },
          { name: "counter__append_once", arguments: JSON.stringify({ directory: round.directory }) },
          { name: "counter__append_again", arguments: JSON.stringify({ directory: round.directory }) },
        ],
      };
    }
    round.answerRequests++;
    return { ...(round.moment === "answer-asked" && round.answerRequests === 1 ? { delayMs: held } : {}), text: "Done." };
  };
}

function newRound(root: string, index: number, moment: Moment): Round {
  const directory = join(root, `round-${index}`);
  mkdirSync(directory, { recursive: true });
  return { moment, directory, turnRequests: 0, answerRequests: 0 };
}

function writeConfig(home: string): string {
  const path = join(home, "ponder.config.json");
  writeFileSync(
    path,
    JSON.stringify({
      mcpServers: { counter: { command: process.execPath, args: [counterServerPath] } },
      policy: { tools: { "counter__*": "allow" } },
    }),
  );
  return path;
}

function linesOf(path: string, line: string): number {
  return existsSync(path)
    ? readFileSync(path, "utf8")
        .split("\n")
        .filter((each) => each === line).length
    : 0;
}

function callsStarted(workspace: string, round: Round): boolean {
  const log = join(round.directory, "calls.log");
  return linesOf(join(workspace, "count.txt"), "x") > 0 && linesOf(log, "once") > 0 && linesOf(log, "again") > 0;
}

/** Lets the calls finish: the MCP tools and the Python code wait for these files. */
function release(workspace: string, round: Round): void {
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, "release"), "");
  writeFileSync(join(round.directory, "release"), "");
}

function reached(moment: Moment, workspace: string, round: Round): boolean {
  if (moment === "model-asked") return round.turnRequests > 0;
  if (moment === "answer-asked") return round.answerRequests > 0;
  return callsStarted(workspace, round);
}

/** Counts what each call did and checks it against the round's moment. */
function checkRound(round: Round, workspace: string, items: Item[], tally: Tally): void {
  const names = new Map(items.flatMap((item) => (item.type === "function_call" ? [[item.call_id, item.name] as const] : [])));
  const outputs = new Map(
    items.flatMap((item) => (item.type === "function_call_output" ? [[names.get(item.call_id), item] as const] : [])),
  );
  assert.equal(items.filter((item) => item.type === "function_call_output").length, 3, "one output per call");
  const runs = {
    python: linesOf(join(workspace, "count.txt"), "x"),
    counter__append_once: linesOf(join(round.directory, "calls.log"), "once"),
    counter__append_again: linesOf(join(round.directory, "calls.log"), "again"),
  };
  tally.rounds++;
  tally.silentRepeats += Math.max(0, runs.python - 1) + Math.max(0, runs.counter__append_once - 1);
  tally.declaredRepeats += Math.max(0, runs.counter__append_again - 1);
  const context = `${round.moment}: ${JSON.stringify(runs)}`;
  for (const name of ["python", "counter__append_once"] as const) {
    assert.equal(runs[name], 1, `${name} ran exactly once (${context})`);
    const unknown = outputs.get(name)?.error_kind === "unknown_outcome";
    if (unknown) tally.unknownOutcomes++;
    if (round.moment === "calls-running") assert.ok(unknown, `${name}, interrupted, is reported with its outcome unknown (${context})`);
    if (round.moment === "model-asked") assert.ok(!unknown, `${name} never started before the kill, so it simply ran (${context})`);
  }
  assert.equal(outputs.get("counter__append_again")?.error_kind, undefined, `the repeatable call always has its real result (${context})`);
  if (round.moment === "calls-running")
    assert.equal(runs.counter__append_again, 2, `the repeatable call, interrupted, ran again (${context})`);
  else if (round.moment === "model-asked") assert.equal(runs.counter__append_again, 1, context);
  else assert.ok(runs.counter__append_again >= 1 && runs.counter__append_again <= 2, context);
}

const moments: Moment[] = ["model-asked", "calls-running", "calls-released", "answer-asked"];
const cliRounds = 8;
const queueRounds = 4;
const printedIdRounds = 8;

test(`kill -9 of ponder ask at ${moments.length} moments, ${cliRounds} rounds: no call is repeated silently; the repeatable one is; the show command marks the unknown`, async () => {
  const home = temporaryHome();
  let round = newRound(home.path, 0, "model-asked");
  const server = await startFakeOpenAIServer(modelScript(() => round));
  const env = {
    PONDER_HOME: home.path,
    OPENAI_API_KEY: "k",
    OPENAI_BASE_URL: server.baseURL,
    PONDER_MODEL: "openai:gpt-4o",
    PONDER_EFFORT: "medium",
    PONDER_CONFIG: writeConfig(home.path),
  };
  const tally: Tally = { rounds: 0, silentRepeats: 0, declaredRepeats: 0, unknownOutcomes: 0 };
  try {
    for (let index = 0; index < cliRounds; index++) {
      const moment = moments[index % moments.length] as Moment;
      round = newRound(home.path, index, moment);
      const child = spawnCli(["ask", "Append everywhere."], env);
      let stderr = "";
      child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise((resolve) => child.on("exit", resolve));
      const runId = await waitFor("the run id", () => /\brun (run_[0-9a-z]+)/.exec(stderr)?.[1]);
      const workspace = join(home.path, "runs", runId, "workspace");
      if (moment === "answer-asked") release(workspace, round);
      await waitFor(`the moment ${moment}`, () => (reached(moment, workspace, round) ? true : undefined));
      if (moment === "calls-released") release(workspace, round);
      child.kill("SIGKILL");
      await exited;
      release(workspace, round);

      if (moment === "calls-running" && index < moments.length) {
        const shown = await runCli(["show", runId], env);
        assert.equal(shown.code, 0, shown.stderr);
        assert.equal(
          shown.stdout.match(/outcome unknown: the process stopped while this call ran/g)?.length,
          2,
          `the two non-repeatable calls in flight are marked:\n${shown.stdout}`,
        );
      }
      const resumed = await runCli(["resume", runId, "--json"], env);
      assert.equal(resumed.code, 0, resumed.stderr);
      const run = JSON.parse(resumed.stdout);
      assert.equal(run.status, "completed");
      checkRound(round, workspace, run.items, tally);
      if (moment === "calls-running" && index < moments.length) {
        assert.match(resumed.stderr, /outcome unknown: the process stopped while this call ran/, "the live view says so");
        const shown = await runCli(["show", runId], env);
        assert.match(shown.stdout, /outcome unknown: the process stopped while this call ran \(not run again\)/);
      }
    }
    assert.equal(tally.silentRepeats, 0, JSON.stringify(tally));
    assert.ok(
      tally.declaredRepeats >= cliRounds / moments.length,
      `the repeatable call was repeated when interrupted: ${JSON.stringify(tally)}`,
    );
    process.stderr.write(`ponder ask killed with SIGKILL: ${JSON.stringify(tally)}\n`);
  } finally {
    await server.close();
    home.remove();
  }
});

test(`BullMQ workers killed with SIGKILL during side-effecting calls, ${queueRounds} rounds: no call is repeated silently; the repeatable one is`, async () => {
  let round: Round | undefined;
  const server = await startFakeOpenAIServer(modelScript(() => round as Round));
  const place = queueTestPlace(server.baseURL);
  const env = { ...place.env, PONDER_CONFIG: writeConfig(place.home) };
  round = newRound(place.home, 0, "calls-running");
  const store = new PostgresRunStore({ url: place.env.DATABASE_URL as string, schema: place.env.PONDER_DATABASE_SCHEMA as string });
  const executor = new BullmqExecutor({ redisUrl: place.env.REDIS_URL as string, queueName: place.queueName });
  const workers: CommandProcess[] = [];
  const startWorker = async () => {
    const worker = spawnWorker([], env);
    workers.push(worker);
    await waitFor("a worker to be ready", () => (worker.stderr().includes("ready") ? true : undefined));
    return worker;
  };
  const tally: Tally = { rounds: 0, silentRepeats: 0, declaredRepeats: 0, unknownOutcomes: 0 };
  try {
    const alive = [await startWorker(), await startWorker()];
    for (let index = 0; index < queueRounds; index++) {
      const current = newRound(place.home, index, index % 2 === 0 ? "calls-running" : "calls-released");
      round = current;
      const run = await createQueuedRun(store, resolveSettings({}, env, process.cwd()), "Append everywhere.");
      await executor.submit(run.id);
      const victim = await waitFor("a worker to take the run", () =>
        alive.find((worker) => worker.stderr().includes(`run ${run.id}: taken`)),
      );
      const workspace = join(place.home, "runs", run.id, "workspace");
      await waitFor("the calls to start", () => (callsStarted(workspace, current) ? true : undefined));
      if (current.moment === "calls-released") release(workspace, current);
      victim.child.kill("SIGKILL");
      await victim.exited;
      release(workspace, current);
      await waitFor(
        "another worker to finish the run",
        async () => ((await store.getRun(run.id))?.status === "completed" ? true : undefined),
        60_000,
      );
      checkRound(
        current,
        workspace,
        (await store.listItems(run.id)).map((stored) => stored.item),
        tally,
      );
      alive.splice(alive.indexOf(victim), 1, await startWorker());
    }
    assert.equal(tally.silentRepeats, 0, JSON.stringify(tally));
    process.stderr.write(`BullMQ workers killed with SIGKILL: ${JSON.stringify(tally)}\n`);
  } finally {
    for (const worker of workers) worker.child.kill("SIGKILL");
    await Promise.all(workers.map((worker) => worker.exited));
    await executor.close();
    await store.close();
    await place.cleanup();
    await server.close();
  }
});

test(`a run id that ponder ask printed always names a stored run: killed right after printing it, ${printedIdRounds} times on SQLite and on PostgreSQL, each resumes`, async () => {
  const home = temporaryHome();
  const schema = temporarySchema("ponder_printed_id");
  const postgres = new PostgresRunStore({ url: testDatabaseUrl, schema: schema.name });
  let holding = true;
  let onPostgres = false;
  /** On PostgreSQL (where a commit takes a round trip): the runs stored when each model request arrived, and how many had been started. */
  const storedWhenAsked: { started: number; stored: number }[] = [];
  let startedOnPostgres = 0;
  const server = await startFakeOpenAIServer(async () => {
    if (onPostgres) storedWhenAsked.push({ started: startedOnPostgres, stored: (await postgres.listRuns({})).length });
    return holding ? { delayMs: held, text: "Late." } : { text: "Resumed." };
  });
  const sqliteEnv = {
    PONDER_HOME: home.path,
    OPENAI_API_KEY: "k",
    OPENAI_BASE_URL: server.baseURL,
    PONDER_MODEL: "openai:gpt-4o",
    PONDER_EFFORT: "medium",
  };
  const postgresEnv = { ...sqliteEnv, DATABASE_URL: testDatabaseUrl, PONDER_DATABASE_SCHEMA: schema.name };
  try {
    for (let index = 0; index < printedIdRounds; index++) {
      onPostgres = index % 2 === 1;
      if (onPostgres) startedOnPostgres++;
      const env = onPostgres ? postgresEnv : sqliteEnv;
      holding = true;
      const child = spawnCli(["ask", "A quick question."], env);
      const exited = new Promise((resolve) => child.on("exit", resolve));
      let stderr = "";
      const printed = new Promise<string>((resolve) => {
        child.stderr?.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
          const runId = /\brun (run_[0-9a-z]+)/.exec(stderr)?.[1];
          if (runId === undefined || child.killed) return;
          child.kill("SIGKILL");
          resolve(runId);
        });
      });
      const runId = await printed;
      await exited;
      holding = false;
      const resumed = await runCli(["resume", runId, "--json"], env);
      assert.doesNotMatch(resumed.stderr, /No run with id/, `round ${index} (${onPostgres ? "PostgreSQL" : "SQLite"})`);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.equal(JSON.parse(resumed.stdout).status, "completed");
    }
    for (const { started, stored } of storedWhenAsked) assert.equal(stored, started, "no model request came before its run was stored");
  } finally {
    await server.close();
    await postgres.close();
    await schema.drop();
    home.remove();
  }
});
