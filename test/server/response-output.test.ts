import { test } from "node:test";
import assert from "node:assert/strict";
import { generateText, streamText } from "ai";
import { createOpenResponses } from "@ai-sdk/open-responses";
import { toolResults, userTexts } from "../support/conversation.js";
import type { FakeTurn, RequestBody } from "../support/fake-openai-server.js";
import { readEvents, startServerFixture } from "./server-fixture.js";
import { responseSchema } from "../../src/server/response-body-schemas.js";

// What a response lists and streams when Ponder did the work itself: its python calls as the
// hosted code interpreter's items, with the output that real Python (in the sandbox) printed.

const question = "What is the sum of the squares of 1 to 24?";
const answer = "The sum of squares is 4900.";
const code = "open('squares.txt', 'w').write('4900')\nprint(sum(k * k for k in range(1, 25)))";

function model(body: RequestBody): FakeTurn {
  const results = toolResults(body);
  if (JSON.stringify(body).includes("Go on"))
    return {
      status: 400,
      errorBody: {
        error: {
          message: "This model's maximum context length is 128000 tokens.",
          type: "invalid_request_error",
          code: "context_length_exceeded",
        },
      },
    };
  if (results.length === 0)
    return {
      reasoning: "Python will do.",
      text: "Let me compute it.",
      toolCalls: [{ name: "python", arguments: JSON.stringify({ code }) }],
    };
  return { text: `The sum of squares is ${/\d+/.exec(results[0] ?? "")?.[0] ?? "unknown"}.` };
}

test("a response lists Ponder's python call as a code_interpreter_call, every field as the Open Responses specification types it", async () => {
  const fixture = await startServerFixture(model);
  try {
    const reply = await fixture.request("POST", "/v1/responses", { body: { model: "ponder", input: question } });
    assert.equal(reply.status, 200);
    const response = responseSchema.parse(await reply.json());
    assert.deepEqual(
      response.output.map((item) => item.type),
      ["reasoning", "reasoning", "code_interpreter_call", "message"],
      "the model's reasoning, its preamble as thinking, the executed call, the answer; no function_call the client would have to run",
    );
    const call = response.output[2] as { code: string; status: string; outputs: { type: string; logs?: string }[] };
    assert.equal(call.code, code);
    assert.equal(call.status, "completed");
    assert.match(call.outputs.find((output) => output.type === "logs")?.logs ?? "", /4900/, "real Python ran the code");
    assert.equal((response.output[3] as { phase?: string }).phase, "final_answer");
    assert.equal(typeof response.completed_at, "number");
    assert.ok(!JSON.stringify(response.output).includes('"artifact"'), "Ponder's own items stay out unless asked for");

    const withItems = await fixture.request("GET", `/v1/responses/${response.id}?include[]=ponder.items`);
    const items = responseSchema.parse(await withItems.json()).output;
    assert.ok(items.some((item) => item.type === "artifact" && (item as { name?: string }).name === "squares.txt"));

    const refused = await fixture.request("POST", "/v1/responses", {
      body: { model: "ponder", input: question, include: ["message.output_text.logprobs"] },
    });
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as { error: { param: string } }).error.param, "include");
  } finally {
    await fixture.close();
  }
});

test("a streamed response: the documented event sequence, numbered in order, with the hosted call's own events", async () => {
  const fixture = await startServerFixture(model);
  try {
    const reply = await fixture.request("POST", "/v1/responses", { body: { model: "ponder", input: question, stream: true } });
    const events = (await readEvents(reply)).map((event) => JSON.parse(event.data) as Record<string, unknown> & { type: string });
    assert.deepEqual(
      events.map((event) => event.sequence_number),
      events.map((_, index) => index),
    );
    const types = events.map((event) => event.type);
    assert.deepEqual(types.slice(0, 2), ["response.created", "response.in_progress"]);
    assert.equal(types.at(-1), "response.completed");
    const callEvents = types.filter((type) => type.startsWith("response.code_interpreter_call"));
    assert.deepEqual(callEvents, [
      "response.code_interpreter_call.in_progress",
      "response.code_interpreter_call_code.delta",
      "response.code_interpreter_call_code.done",
      "response.code_interpreter_call.interpreting",
      "response.code_interpreter_call.completed",
    ]);
    assert.ok(types.includes("response.reasoning_summary_text.delta"));
    // Every item added is done once, at the same index; every event about an item names it.
    const added = events.filter((event) => event.type === "response.output_item.added");
    const done = events.filter((event) => event.type === "response.output_item.done");
    assert.deepEqual(
      added.map((event) => event.output_index),
      done.map((event) => event.output_index).sort(),
    );
    const idAt = new Map(added.map((event) => [event.output_index, (event.item as { id: string }).id]));
    for (const event of events)
      if ("item_id" in event) assert.equal(event.item_id, idAt.get(event.output_index), `${event.type} names its item`);
    const text = events
      .filter((event) => event.type === "response.output_text.delta")
      .map((event) => event.delta)
      .join("");
    assert.equal(text, answer, "the preamble, held until its turn called a tool, came as thinking");
    const completed = responseSchema.parse(events.at(-1)?.response);
    assert.deepEqual(
      completed.output.map((item) => [item.type, item.id]),
      done.map((event) => [(event.item as { type: string }).type, (event.item as { id: string }).id]),
      "the streamed items are the stored ones, under the same ids",
    );
  } finally {
    await fixture.close();
  }
});

test("a streamed response whose conversation overflows the model's context ends with response.failed naming context_length_exceeded", async () => {
  const fixture = await startServerFixture(model);
  try {
    const reply = await fixture.request("POST", "/v1/responses", { body: { model: "ponder", input: "Go on.", stream: true } });
    const events = (await readEvents(reply)).map((event) => JSON.parse(event.data) as { type: string; response?: unknown });
    const last = events.at(-1);
    assert.equal(last?.type, "response.failed");
    const failed = responseSchema.parse(last?.response);
    assert.equal(failed.error?.code, "context_length_exceeded");
  } finally {
    await fixture.close();
  }
});

test("@ai-sdk/open-responses reads Ponder's responses: the answer, and no tool call of its own", async () => {
  const fixture = await startServerFixture(model);
  try {
    const provider = createOpenResponses({ name: "ponder", url: `${fixture.server.url}/v1/responses` });
    const generated = await generateText({ model: provider("ponder"), prompt: question });
    assert.equal(generated.text, answer);
    assert.equal(generated.toolCalls.length, 0);
    const streamed = streamText({ model: provider("ponder"), prompt: question });
    assert.equal(await streamed.text, answer);
    assert.equal((await streamed.toolCalls).length, 0);
  } finally {
    await fixture.close();
  }
});

test("GET /v1/models/{id}: a model this server runs, encoded as the client sends it; an unknown one is a 404", async () => {
  const fixture = await startServerFixture(model);
  try {
    const listed = await fixture.client().models.retrieve("ponder/openai:gpt-5-mini");
    assert.deepEqual(listed, { id: "ponder/openai:gpt-5-mini", object: "model", created: 0, owned_by: "ponder" });
    const unknown = await fixture.request("GET", "/v1/models/ponder%2Fopenai%3Agpt-9");
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, "model_not_found");
  } finally {
    await fixture.close();
  }
});

test("a streamed answer that must match text.format: one sent back for repair comes as thinking, the repaired one as the answer", async () => {
  const answerJson = JSON.stringify({ city: "Paris" });
  const fixture = await startServerFixture((body) =>
    userTexts(body).some((text) => text.includes("does not have the required format")) ? { text: answerJson } : { text: "Paris." },
  );
  try {
    const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false };
    const format = { type: "json_schema", name: "city", schema, strict: true };
    const reply = await fixture.request("POST", "/v1/responses", {
      body: { model: "ponder", input: "Which city?", stream: true, text: { format } },
    });
    const events = (await readEvents(reply)).map((event) => JSON.parse(event.data) as Record<string, unknown> & { type: string });
    const text = events
      .filter((event) => event.type === "response.output_text.delta")
      .map((event) => event.delta)
      .join("");
    assert.equal(text, answerJson);
    const completed = responseSchema.parse(events.at(-1)?.response);
    assert.equal(completed.status, "completed");
    assert.deepEqual(
      completed.output.map((item) => item.type),
      ["reasoning", "message"],
    );

    const chat = await fixture.client().chat.completions.create({
      model: "ponder",
      messages: [{ role: "user", content: "Which city?" }],
      stream: true,
      response_format: { type: "json_schema", json_schema: { name: "city", schema, strict: true } },
    });
    let content = "";
    for await (const chunk of chat) content += chunk.choices[0]?.delta.content ?? "";
    assert.equal(content, answerJson);
  } finally {
    await fixture.close();
  }
});
