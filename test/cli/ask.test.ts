import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeOpenAIServer, type FakeTurn, type RequestBody } from "../support/fake-openai-server.js";
import { toolResults } from "../support/conversation.js";
import { runCli, spawnCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";
import { closedPort } from "../support/closed-port.js";

const question = "Which of the first 10,000 primes end in 7, and what is their sum?";
const buggyCode = "primes = first_primes(10000)\nprint(len(primes))";
const fixedCode = [
  "import numpy as np",
  "sieve = np.ones(105000, dtype=bool); sieve[:2] = False",
  "for i in range(2, 325):",
  "    if sieve[i]: sieve[i*i::i] = False",
  "primes = np.flatnonzero(sieve)[:10000]",
  "sevens = primes[primes % 10 == 7]",
  "print(len(sevens), int(sevens.sum()))",
].join("\n");

/** The same answer, computed here in plain JavaScript, to check the sandbox's result reached the answer. */
function expectedAnswer(): { count: number; sum: number } {
  const primes: number[] = [];
  for (let candidate = 2; primes.length < 10_000; candidate++) {
    if (primes.every((prime) => prime * prime > candidate || candidate % prime !== 0)) primes.push(candidate);
  }
  const sevens = primes.filter((prime) => prime % 10 === 7);
  return { count: sevens.length, sum: sevens.reduce((total, prime) => total + prime, 0) };
}

// A model that writes buggy code, reads the traceback, fixes it, and answers from the output.
function solver(body: RequestBody): FakeTurn {
  const results = toolResults(body);
  if (results.length === 0)
    return {
      reasoning: "I will compute this with Python.",
      toolCalls: [{ name: "python", arguments: JSON.stringify({ code: buggyCode }) }],
    };
  if (results.length === 1)
    return {
      reasoning: "NameError: I never defined first_primes. Use a sieve.",
      toolCalls: [{ name: "python", arguments: JSON.stringify({ code: fixedCode }) }],
    };
  const [count, sum] = (results.at(-1) ?? "").trim().split(/\s+/);
  return { text: `${count} of the first 10,000 primes end in 7; their sum is ${sum}.` };
}

for (const api of ["responses", "chat"] as const) {
  test(`ponder ask runs real Python in the sandbox, repairs its mistake and answers (${api})`, async () => {
    const server = await startFakeOpenAIServer(solver);
    const home = temporaryHome();
    const env = { PONDER_HOME: home.path, OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: server.baseURL, PONDER_OPENAI_API: api };
    try {
      const result = await runCli(["ask", "--json", "--model", "openai:gpt-5-mini", question], env);
      assert.equal(result.code, 0, result.stderr);
      const run = JSON.parse(result.stdout);
      const { count, sum } = expectedAnswer();
      assert.equal(run.status, "completed");
      assert.equal(run.answer, `${count} of the first 10,000 primes end in 7; their sum is ${sum}.`);
      const outputs = run.items.filter((item: { type: string }) => item.type === "function_call_output");
      assert.equal(outputs.length, 2);
      assert.match(outputs[0].output, /NameError/);
      assert.equal(outputs[1].output.trim(), `${count} ${sum}`);
      assert.equal(run.usage.steps, 3);
      assert.deepEqual(
        run.steps.map((step: { step: number }) => step.step),
        [1, 2, 3],
        "usage recorded per step",
      );
      assert.ok(run.steps.every((step: { inputTokens: number; durationMs: number }) => step.inputTokens > 0 && step.durationMs >= 0));
      assert.ok(run.usage.inputTokens > 0);
      // Chat Completions has no reasoning items; the Responses API sends reasoning summaries.
      if (api === "responses") assert.ok(run.items.some((item: { type: string }) => item.type === "reasoning"));
      assert.equal(server.requests[0]?.path, api === "chat" ? "/v1/chat/completions" : "/v1/responses");

      const runs = await runCli(["runs", "--json"], env);
      assert.equal(runs.code, 0);
      const listed = JSON.parse(runs.stdout);
      assert.equal(listed[0].id, run.id);
      assert.equal(listed[0].status, "completed");
      assert.ok(Date.parse(listed[0].created_at) > 0);
      // The next page after the only run is empty.
      assert.deepEqual(JSON.parse((await runCli(["runs", "--json", "--after", run.id], env)).stdout), []);

      const shown = await runCli(["show", run.id], env);
      assert.equal(shown.code, 0);
      assert.match(shown.stdout, /python/);
      assert.match(shown.stdout, /NameError/);
      assert.match(shown.stdout, new RegExp(String(sum)));
    } finally {
      await server.close();
      home.remove();
    }
  });
}

test("the plain output is the answer on stdout; progress goes to stderr", async () => {
  const server = await startFakeOpenAIServer([{ text: "42" }]);
  const home = temporaryHome();
  try {
    // An effort in the environment: without one, `--effort auto` would ask the scripted server to classify first.
    const result = await runCli(["ask", "What is six times seven?"], {
      PONDER_HOME: home.path,
      OPENAI_API_KEY: "k",
      OPENAI_BASE_URL: server.baseURL,
      PONDER_MODEL: "openai:gpt-4o",
      PONDER_EFFORT: "medium",
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "42\n");
    assert.match(result.stderr, /run_/);
  } finally {
    await server.close();
    home.remove();
  }
});

test("no model configured: exit 2 and every way to configure one", async () => {
  const home = temporaryHome();
  try {
    const result = await runCli(["ask", "hello"], { PONDER_HOME: home.path, OLLAMA_HOST: `127.0.0.1:${await closedPort()}` });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /No model is configured/);
    assert.match(result.stderr, /--model/);
    assert.match(result.stderr, /OPENAI_API_KEY/);
    assert.match(result.stderr, /ponder.config.json/);
    assert.doesNotMatch(result.stderr, /at .*\.js:\d+/, "no stack trace");
  } finally {
    home.remove();
  }
});

test("a bad config file names the file and the field", async () => {
  const home = temporaryHome();
  const configPath = join(home.path, "bad.json");
  writeFileSync(configPath, JSON.stringify({ model: "openai:gpt-5", budget: { maxSteps: "ten" }, colour: "blue" }));
  try {
    const result = await runCli(["ask", "--config", configPath, "hello"], { PONDER_HOME: home.path });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /bad\.json/);
    assert.match(result.stderr, /budget\.maxSteps/);
    assert.match(result.stderr, /colour/);
  } finally {
    home.remove();
  }
});

test("an unreachable provider fails the run with a clear message, and the run is kept", async () => {
  const home = temporaryHome();
  const port = await closedPort();
  const env = { PONDER_HOME: home.path, OPENAI_API_KEY: "k", OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` };
  try {
    // A fixed effort: with `--effort auto` the router's classification run would fail (and be kept) too.
    const result = await runCli(["ask", "--model", "openai:gpt-4o", "--effort", "medium", "hello"], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`127\\.0\\.0\\.1:${port}.*unreachable`));
    assert.match(result.stderr, /ponder resume run_/);
    const runs = JSON.parse((await runCli(["runs", "--json", "--status", "failed"], env)).stdout);
    assert.equal(runs.length, 1);
  } finally {
    home.remove();
  }
});

test("bad flags and unknown commands exit 2 with a message", async () => {
  const home = temporaryHome();
  try {
    const unknownFlag = await runCli(["ask", "--colour", "x", "hi"], { PONDER_HOME: home.path });
    assert.equal(unknownFlag.code, 2);
    assert.match(unknownFlag.stderr, /--colour/);
    const badDeadline = await runCli(["ask", "--deadline", "soon", "hi"], { PONDER_HOME: home.path });
    assert.equal(badDeadline.code, 2);
    assert.match(badDeadline.stderr, /30s/);
    const unknownCommand = await runCli(["fly"], { PONDER_HOME: home.path });
    assert.equal(unknownCommand.code, 2);
    const missing = await runCli(["show", "run_nope"], { PONDER_HOME: home.path });
    assert.equal(missing.code, 2, "a run id that names no run is a mistake in the command line");
    assert.match(missing.stderr, /No run with id run_nope/);
  } finally {
    home.remove();
  }
});

test("attached files reach the sandbox and attached images reach the model", async () => {
  const home = temporaryHome();
  const csvPath = join(home.path, "sales.csv");
  const pngPath = join(home.path, "dot.png");
  writeFileSync(csvPath, "month,amount\njan,10\nfeb,30\nmar,50\n");
  writeFileSync(
    pngPath,
    Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64"),
  );
  const server = await startFakeOpenAIServer((body) => {
    const results = toolResults(body);
    if (results.length === 0)
      return {
        toolCalls: [
          {
            name: "python",
            arguments: JSON.stringify({
              code: "import pandas as pd\nprint(pd.read_csv('/workspace/attachments/sales.csv').amount.mean())",
            }),
          },
        ],
      };
    return { text: `The mean is ${results[0]?.trim()}.` };
  });
  try {
    const result = await runCli(
      ["ask", "--json", "--model", "openai:gpt-4o", "--file", csvPath, "--image", pngPath, "What is the mean amount?"],
      {
        PONDER_HOME: home.path,
        OPENAI_API_KEY: "k",
        OPENAI_BASE_URL: server.baseURL,
      },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).answer, "The mean is 30.0.");
    const firstRequest = JSON.stringify(server.requests[0]?.body);
    assert.match(firstRequest, /attachments\/sales\.csv/, "the model is told where the file is");
    assert.match(firstRequest, /data:image\/png;base64,iVBORw0KGgo/, "the image is in the request");
  } finally {
    await server.close();
    home.remove();
  }
});

test("Ctrl-C cancels the run and its sandboxed tool; the run is saved as cancelled", async () => {
  const home = temporaryHome();
  const server = await startFakeOpenAIServer((body) =>
    toolResults(body).length === 0
      ? { toolCalls: [{ name: "python", arguments: JSON.stringify({ code: "import time\ntime.sleep(60)" }) }] }
      : { text: "never" },
  );
  const env = { PONDER_HOME: home.path, OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL, PONDER_MODEL: "openai:gpt-4o" };
  try {
    const child = spawnCli(["ask", "Sleep for a minute."], env);
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    while (!/python\(/.test(stderr)) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill("SIGINT");
    assert.equal(await exited, 130);
    const [run] = JSON.parse((await runCli(["runs", "--json"], env)).stdout);
    assert.equal(run.status, "cancelled");
  } finally {
    await server.close();
    home.remove();
  }
});
