import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startRun } from "../../src/library/start-run.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { createTelemetry, recordEvaluationResult, traceRunEvents, type Telemetry } from "../../src/telemetry/index.js";
import { emptyUsage } from "../../src/core/budget.js";
import { startFakeOpenAIServer, type FakeServerOptions } from "../support/fake-openai-server.js";
import { toolResults } from "../support/conversation.js";
import { temporaryHome } from "../support/temporary-home.js";
import { testTools } from "../support/test-tools.js";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "./otlp-receiver.js";

const errorStatus = 2;

// A real run over HTTP (fake OpenAI server), traced to a real OTLP/HTTP endpoint on localhost.
async function withTracing(
  fake: FakeServerOptions,
  body: (context: {
    telemetry: Telemetry;
    receiver: OtlpReceiver;
    run: (input: string, parentRunId?: string) => Promise<string>;
  }) => Promise<void>,
) {
  const receiver = await startOtlpReceiver();
  const server = await startFakeOpenAIServer(fake);
  const home = temporaryHome();
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  const telemetry = createTelemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_HEADERS: "x-team=ponder%20tests" });
  assert.ok(telemetry, "an OTLP endpoint turns tracing on");
  const tools = testTools().tools.filter((tool) => tool.name === "add" || tool.name === "fail");
  const env = { OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL };
  const run = async (input: string, parentRunId?: string) => {
    const handle = await startRun(input, {
      model: "openai:gpt-4o",
      env,
      home: home.path,
      store,
      tools,
      stream: false,
      onEvent: traceRunEvents(telemetry, { parentRunId }),
    });
    return (await handle.result).id;
  };
  try {
    await body({ telemetry, receiver, run });
  } finally {
    await telemetry.shutdown();
    await store.close();
    await server.close();
    await receiver.close();
    home.remove();
  }
}

const only = (spans: ReceivedSpan[], name: string) => {
  const matching = spans.filter((span) => span.name === name);
  assert.equal(matching.length, 1, `one ${name} span (got ${spans.map((span) => span.name).join(", ")})`);
  return matching[0]!;
};

test("a run with a good and a failing tool call is exported as nested GenAI spans", async () => {
  await withTracing(
    (request) =>
      toolResults(request).length === 0
        ? {
            toolCalls: [
              { name: "add", arguments: '{"a":40,"b":2}', id: "call_add" },
              { name: "fail", arguments: "{}", id: "call_fail" },
            ],
            usage: { inputTokens: 100, outputTokens: 20 },
          }
        : { text: "42", usage: { inputTokens: 150, outputTokens: 5 } },
    async ({ telemetry, receiver, run }) => {
      const runId = await run("What is 40 + 2?");
      await telemetry.flush();
      const spans = receiver.spans;
      assert.ok(
        receiver.paths.every((path) => path === "POST /v1/traces application/json"),
        receiver.paths.join("; "),
      );

      const agent = only(spans, "invoke_agent");
      assert.equal(agent.parentSpanId, undefined);
      assert.equal(agent.serviceName, "ponder");
      assert.deepEqual(
        { ...agent.attributes },
        {
          ...agent.attributes,
          "gen_ai.operation.name": "invoke_agent",
          "gen_ai.agent.name": "ponder",
          "gen_ai.provider.name": "openai",
          "gen_ai.request.model": "gpt-4o",
          "gen_ai.usage.input_tokens": 250,
          "gen_ai.usage.output_tokens": 25,
          "ponder.run.id": runId,
          "ponder.run.status": "completed",
        },
      );
      assert.notEqual(agent.statusCode, errorStatus);

      const chats = spans.filter((span) => span.name === "chat");
      assert.equal(chats.length, 2);
      for (const chat of chats) {
        assert.equal(chat.parentSpanId, agent.spanId);
        assert.equal(chat.traceId, agent.traceId);
        assert.equal(chat.attributes["gen_ai.operation.name"], "chat");
        assert.equal(chat.attributes["gen_ai.request.model"], "gpt-4o");
        assert.equal(chat.attributes["gen_ai.provider.name"], "openai");
      }
      const byStep = new Map(chats.map((chat) => [chat.attributes["ponder.step"], chat]));
      assert.equal(byStep.get(1)?.attributes["gen_ai.usage.input_tokens"], 100);
      assert.equal(byStep.get(1)?.attributes["gen_ai.usage.output_tokens"], 20);
      assert.equal(byStep.get(2)?.attributes["gen_ai.usage.input_tokens"], 150);
      assert.equal(byStep.get(2)?.attributes["gen_ai.usage.output_tokens"], 5);

      const add = only(spans, "execute_tool add");
      assert.equal(add.parentSpanId, agent.spanId);
      assert.equal(add.attributes["gen_ai.operation.name"], "execute_tool");
      assert.equal(add.attributes["gen_ai.tool.name"], "add");
      assert.equal(add.attributes["gen_ai.tool.call.id"], "call_add");
      assert.equal(add.attributes["error.type"], undefined);
      assert.notEqual(add.statusCode, errorStatus);

      const fail = only(spans, "execute_tool fail");
      assert.equal(fail.parentSpanId, agent.spanId);
      assert.equal(fail.attributes["gen_ai.tool.call.id"], "call_fail");
      assert.equal(fail.attributes["error.type"], "tool_error");
      assert.equal(fail.statusCode, errorStatus);
    },
  );
});

test("a failed run marks its span with error.type; a child run nests under a live parent; scores become evaluation events", async () => {
  await withTracing([{ status: 401 }], async ({ telemetry, receiver, run }) => {
    // The parent is a strategy run whose span is open in this process while its child runs.
    const parentListener = traceRunEvents(telemetry);
    parentListener({ type: "run-started", runId: "run_parent", model: "openai:gpt-4o", resumed: false });
    const childId = await run("Anything?", "run_parent");
    parentListener({ type: "usage-updated", runId: "run_parent", usage: emptyUsage() });
    parentListener({ type: "run-finished", runId: "run_parent", status: "completed" });
    recordEvaluationResult(telemetry, { runId: "run_parent", scorer: "exact-match", label: "pass", score: 1 });
    recordEvaluationResult(telemetry, { runId: "run_elsewhere", scorer: "judge", label: "error", explanation: "the judge timed out" });
    await telemetry.flush();
    const spans = receiver.spans;

    const parent = spans.find((span) => span.name === "invoke_agent" && span.attributes["ponder.run.id"] === "run_parent");
    const child = spans.find((span) => span.name === "invoke_agent" && span.attributes["ponder.run.id"] === childId);
    assert.ok(parent && child);
    assert.equal(child.parentSpanId, parent.spanId);
    assert.equal(child.traceId, parent.traceId);
    assert.equal(child.attributes["ponder.parent_run.id"], "run_parent");
    assert.equal(child.attributes["ponder.run.status"], "failed");
    assert.equal(child.statusCode, errorStatus);
    assert.equal(typeof child.attributes["error.type"], "string");
    assert.ok(String(child.attributes["error.type"]).length > 0);
    const childChat = spans.find((span) => span.name === "chat" && span.parentSpanId === child.spanId);
    assert.equal(childChat?.statusCode, errorStatus, "the turn that failed is marked too");

    const passed = only(spans, "evaluate exact-match");
    assert.equal(passed.parentSpanId, parent.spanId, "a score recorded after the run ended still joins its trace");
    assert.deepEqual(passed.events, [
      {
        name: "gen_ai.evaluation.result",
        attributes: {
          "gen_ai.evaluation.name": "exact-match",
          "gen_ai.evaluation.score.label": "pass",
          "gen_ai.evaluation.score.value": 1,
        },
      },
    ]);
    const errored = only(spans, "evaluate judge");
    assert.equal(errored.parentSpanId, undefined);
    assert.equal(errored.attributes["ponder.run.id"], "run_elsewhere");
    assert.equal(errored.statusCode, errorStatus);
    assert.equal(errored.events[0]?.attributes["gen_ai.evaluation.score.label"], "error");
    assert.equal(errored.events[0]?.attributes["gen_ai.evaluation.explanation"], "the judge timed out");
  });
});
