// Python's clients against `ponder serve`: the `openai` package and the OpenAI Agents SDK, run as
// real Python programs (test/server/python/) from the venv of scripts/python-venv.sh, against a
// fake model that makes Ponder use its Python tool. The answers are right only if Ponder ran the
// code in its sandbox and fed the output back to the model.
import { test } from "node:test";
import assert from "node:assert/strict";
import { toolResults } from "../support/conversation.js";
import type { FakeTurn, RequestBody } from "../support/fake-openai-server.js";
import { pythonVenv, repositoryPath, runPython } from "../support/python-venv.js";
import { startServerFixture, type ServerFixture } from "./server-fixture.js";

const venv = pythonVenv();

const computed = "What is the sum of the squares of 1 to 24?";
const computedAnswer = "The sum of squares is 4900.";
const plain = "Say hello plainly.";
const plainAnswer = "Hello from Ponder.";
const clientTool = "What is the secret code of ada?";
const slow = "slow please";

/** The fake model behind Ponder; each question is told apart by its words. */
function model(body: RequestBody): FakeTurn {
  const conversation = JSON.stringify(body);
  const results = toolResults(body);
  if (conversation.includes(slow)) return { delayMs: 30_000, text: "too late" };
  if (conversation.includes(plain)) return { text: plainAnswer };
  if (conversation.includes(clientTool)) {
    // The agent's tool reaches the model next to Ponder's own; without it the fake cannot answer.
    const offered = ((body.tools ?? []) as { name?: string; function?: { name?: string } }[]).some(
      (tool) => (tool.name ?? tool.function?.name) === "lookup_code",
    );
    if (!offered) return { text: "I have no way to look codes up." };
    if (results.length === 0) return { toolCalls: [{ name: "lookup_code", arguments: JSON.stringify({ name: "ada" }) }] };
    return { text: `The code is ${results[0]}.` };
  }
  if (results.length === 0)
    return {
      text: "Let me compute it.",
      toolCalls: [{ name: "python", arguments: JSON.stringify({ code: "print(sum(k * k for k in range(1, 25)))" }) }],
    };
  return { text: `The sum of squares is ${/\d+/.exec(results[0] ?? "")?.[0] ?? "unknown"}.` };
}

type CaseResult = Record<string, unknown> & { exception?: string };

/** Runs one of the Python programs with its cases (name: question) and returns each case's findings. */
async function runCases(fixture: ServerFixture, script: string, cases: Record<string, string>): Promise<Record<string, CaseResult>> {
  const result = await runPython(venv.python as string, [repositoryPath("test", "server", "python", script), JSON.stringify(cases)], {
    PONDER_BASE_URL: `${fixture.server.url}/v1`,
  });
  assert.equal(result.code, 0, `${script} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, CaseResult>;
}

/** A case's findings; a Python exception fails the case with its traceback. */
function findings(results: Record<string, CaseResult>, name: string): CaseResult {
  const result = results[name];
  assert.ok(result, `no result for ${name}`);
  assert.equal(result.exception, undefined, `${name} raised:\n${result.exception}`);
  return result;
}

test("the openai Python client: chat and responses, streamed and not, sync and async, background", { skip: venv.skip }, async (t) => {
  const fixture = await startServerFixture(model);
  try {
    const results = await runCases(fixture, "openai-client.py", {
      chat: computed,
      chat_stream: computed,
      responses: computed,
      responses_stream: computed,
      chat_stream_helper: computed,
      responses_stream_helper: computed,
      async_responses_stream: computed,
      background: computed,
      background_cancel: slow,
      not_found: "run_missing",
    });
    await t.test("chat.completions.create", () => {
      const chat = findings(results, "chat");
      assert.equal(chat.content, computedAnswer);
      assert.equal(chat.finish_reason, "stop");
      // Ponder's own python calls are its work, never the client's tool calls.
      assert.equal(chat.tool_calls, null);
      assert.ok((chat.total_tokens as number) > 0);
    });
    await t.test("chat.completions.create with stream", () => {
      const chat = findings(results, "chat_stream");
      assert.equal(chat.content, computedAnswer);
      assert.equal(chat.finish_reason, "stop");
      assert.equal(chat.tool_calls, 0);
      assert.ok((chat.total_tokens as number) > 0);
    });
    await t.test("responses.create", () => {
      const response = findings(results, "responses");
      assert.equal(response.status, "completed");
      assert.equal(response.output_text, computedAnswer);
      assert.equal(response.effort, "low");
    });
    await t.test("responses.create with stream", () => {
      const response = findings(results, "responses_stream");
      assert.equal(response.first, "response.created");
      assert.equal(response.last, "response.completed");
      assert.equal(response.text, computedAnswer);
      assert.equal(response.output_text, computedAnswer);
    });
    // The fake model streams the answer word by word; Ponder passes the pieces on as they come.
    await t.test("streamed answers arrive token by token, as the model writes them", () => {
      assert.ok((findings(results, "chat_stream").pieces as number) > 1);
      assert.ok((findings(results, "responses_stream").pieces as number) > 1);
    });
    await t.test("the stream helpers, which rebuild the answer from the events: chat.completions.stream, responses.stream", () => {
      const chat = findings(results, "chat_stream_helper");
      assert.equal(chat.content, computedAnswer);
      assert.equal(chat.finish_reason, "stop");
      assert.deepEqual(findings(results, "responses_stream_helper"), { status: "completed", output_text: computedAnswer });
    });
    await t.test("AsyncOpenAI: responses.create with stream", () => {
      assert.equal(findings(results, "async_responses_stream").text, computedAnswer);
    });
    await t.test("background response, polled with responses.retrieve until done", () => {
      const response = findings(results, "background");
      assert.ok(response.created_status === "queued" || response.created_status === "in_progress", String(response.created_status));
      assert.equal(response.background, true);
      assert.equal(response.status, "completed");
      assert.equal(response.output_text, computedAnswer);
    });
    await t.test("background response cancelled with responses.cancel", () => {
      const response = findings(results, "background_cancel");
      assert.equal(response.cancelled_status, "cancelled");
      assert.equal(response.retrieved_status, "cancelled");
    });
    await t.test("an unknown response is the client's NotFoundError", () => {
      assert.deepEqual(findings(results, "not_found"), { error_class: "NotFoundError", status: 404 });
    });
  } finally {
    await fixture.close();
  }
});

test("the OpenAI Agents SDK for Python with Ponder as the agent's model", { skip: venv.skip }, async (t) => {
  const fixture = await startServerFixture(model);
  try {
    const results = await runCases(fixture, "agents-sdk.py", {
      chat: computed,
      chat_streamed: computed,
      responses: plain,
      responses_streamed: plain,
      responses_computed: computed,
      chat_client_tool: clientTool,
      responses_client_tool: clientTool,
    });
    await t.test("Chat Completions model: Ponder computes with Python, the agent gets the answer", () => {
      assert.equal(findings(results, "chat").final_output, computedAnswer);
    });
    await t.test("Chat Completions model, streamed", () => {
      const run = findings(results, "chat_streamed");
      assert.equal(run.final_output, computedAnswer);
      assert.equal(run.deltas, computedAnswer);
    });
    await t.test("Responses model: a plain answer", () => {
      assert.equal(findings(results, "responses").final_output, plainAnswer);
    });
    await t.test("Responses model, streamed: a plain answer", () => {
      const run = findings(results, "responses_streamed");
      assert.equal(run.final_output, plainAnswer);
      assert.equal(run.deltas, plainAnswer);
    });
    await t.test("Responses model: Ponder computes with Python, the agent gets the answer", () => {
      assert.equal(findings(results, "responses_computed").final_output, computedAnswer);
    });
    for (const name of ["chat_client_tool", "responses_client_tool"]) {
      await t.test(`${name}: the agent's own function tool runs once, in the agent`, () => {
        const run = findings(results, name);
        assert.deepEqual(run.client_tool_calls, ["ada"]);
        assert.equal(run.final_output, "The code is code-ada-7.");
      });
    }
  } finally {
    await fixture.close();
  }
});
