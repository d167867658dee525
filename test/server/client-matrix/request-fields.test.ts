// Request fields an API client may send: each is honoured (it reaches the provider, or shapes the
// run) or refused with a 400 naming it. Bad client-tool input is a 400 naming the field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { userTexts } from "../../support/conversation.js";
import type { FakeTurn, RequestBody } from "../../support/fake-openai-server.js";
import { startServerFixture, type ServerFixture } from "../server-fixture.js";
import { toolParameters } from "./scenario.js";

const lookupTool = { type: "function", name: "lookup_code", description: "A code.", parameters: toolParameters };
const answerSchema = {
  type: "object",
  properties: { city: { type: "string" }, population: { type: "integer" } },
  required: ["city", "population"],
  additionalProperties: false,
};

async function withServer(handler: (body: RequestBody) => FakeTurn, body: (fixture: ServerFixture) => Promise<void>): Promise<void> {
  const fixture = await startServerFixture(handler);
  try {
    await body(fixture);
  } finally {
    await fixture.close();
  }
}

async function expect400(fixture: ServerFixture, path: string, request: Record<string, unknown>, param: string | RegExp): Promise<string> {
  const response = await fixture.request("POST", path, { body: request });
  const body = (await response.json()) as { error?: { param?: string; message?: string } };
  assert.equal(response.status, 400, JSON.stringify(body));
  if (typeof param === "string") assert.equal(body.error?.param, param, JSON.stringify(body));
  else assert.match(body.error?.param ?? "", param);
  return body.error?.message ?? "";
}

test("bad client-tool input and fields Ponder cannot honour are 400s naming the field", async () => {
  await withServer(
    () => ({ toolCalls: [{ name: "lookup_code", arguments: '{"name":"ada"}' }] }),
    async (fixture) => {
      const base = { model: "ponder", input: "What is ada's code?" };
      // A client tool named like one of Ponder's.
      assert.match(
        await expect400(fixture, "/v1/responses", { ...base, tools: [{ ...lookupTool, name: "python" }] }, "tools.0.name"),
        /taken/,
      );
      // A tool_choice naming a tool that was not sent.
      await expect400(
        fixture,
        "/v1/responses",
        { ...base, tools: [lookupTool], tool_choice: { type: "function", name: "other" } },
        "tool_choice",
      );
      await expect400(
        fixture,
        "/v1/chat/completions",
        { model: "ponder", messages: [{ role: "user", content: "q" }], tool_choice: { type: "function", function: { name: "other" } } },
        "tool_choice",
      );
      // A schema the provider cannot enforce (strict mode needs additionalProperties false), and one that is no schema.
      const loose = { ...answerSchema, additionalProperties: true };
      await expect400(
        fixture,
        "/v1/responses",
        { ...base, text: { format: { type: "json_schema", name: "city", schema: loose, strict: true } } },
        "text.format",
      );
      await expect400(
        fixture,
        "/v1/chat/completions",
        {
          model: "ponder",
          messages: [{ role: "user", content: "q" }],
          response_format: {
            type: "json_schema",
            json_schema: { name: "city", schema: { type: "object", properties: { a: { type: "strnig" } } } },
          },
        },
        "response_format",
      );
      // Hosted tools, unknown fields, and fields that ask for what a run cannot give.
      await expect400(fixture, "/v1/responses", { ...base, tools: [{ type: "web_search" }] }, "tools.0.type");
      await expect400(fixture, "/v1/responses", { ...base, frobnicate: true }, "frobnicate");
      await expect400(fixture, "/v1/chat/completions", { model: "ponder", messages: [{ role: "user", content: "q" }], seed: 7 }, "seed");
      // gpt-5-mini is a reasoning model: its provider takes no temperature.
      await expect400(fixture, "/v1/responses", { ...base, temperature: 0.2 }, "temperature");

      // A function_call_output for a call nobody made: with previous_response_id, and in a full input.
      const first = (await (await fixture.request("POST", "/v1/responses", { body: { ...base, tools: [lookupTool] } })).json()) as {
        id: string;
        output: { type: string; call_id?: string }[];
      };
      const call = first.output.find((item) => item.type === "function_call");
      assert.ok(call?.call_id, JSON.stringify(first));
      await expect400(
        fixture,
        "/v1/responses",
        {
          model: "ponder",
          previous_response_id: first.id,
          tools: [lookupTool],
          input: [{ type: "function_call_output", call_id: "call_nobody", output: "x" }],
        },
        "input",
      );
      // Every call handed out needs its output.
      await expect400(
        fixture,
        "/v1/responses",
        { model: "ponder", previous_response_id: first.id, tools: [lookupTool], input: "And then?" },
        "input",
      );
      await expect400(
        fixture,
        "/v1/responses",
        {
          model: "ponder",
          input: [
            { role: "user", content: "q" },
            { type: "function_call_output", call_id: "call_nobody", output: "x" },
          ],
        },
        "input",
      );
    },
  );
});

test("text.format json_schema reaches the provider, and an answer that does not match is repaired, then fails clearly", async () => {
  let stubborn = false;
  await withServer(
    (body) => {
      const repairs = userTexts(body).filter((text) => text.includes("does not have the required format")).length;
      if (stubborn || repairs === 0) return { text: "Paris, about two million people." };
      return { text: JSON.stringify({ city: "Paris", population: 2_100_000 }) };
    },
    async (fixture) => {
      const format = { type: "json_schema", name: "city", schema: answerSchema, strict: true };
      const response = await fixture.client().responses.create({
        model: "ponder",
        input: "Which city, and how many people?",
        text: { format: format as never },
      });
      assert.equal(response.status, "completed");
      assert.deepEqual(JSON.parse(response.output_text), { city: "Paris", population: 2_100_000 });
      // The provider was asked for the schema itself (OpenAI's structured output).
      const sent = fixture.model.requests[0]?.body.text?.format;
      assert.equal(sent?.type, "json_schema");
      assert.deepEqual(sent?.schema, answerSchema);

      stubborn = true;
      const failed = await fixture
        .client()
        .responses.create({ model: "ponder", input: "Again: which city?", text: { format: format as never } });
      assert.equal(failed.status, "failed");
      assert.equal(failed.error?.code, "answer_format_invalid");
      assert.match(failed.error?.message ?? "", /not valid JSON/);
    },
  );
});

test("sampling, caps, tool choice and one call at a time reach the provider; chat n runs n samples", async () => {
  await withServer(
    (body) =>
      JSON.stringify(body).includes("lookup_code") && !JSON.stringify(body).includes("function_call_output") && body.tool_choice !== "auto"
        ? { toolCalls: [{ name: "lookup_code", arguments: '{"name":"ada"}' }] }
        : { text: "Four." },
    async (fixture) => {
      const client = fixture.client();
      // gpt-4o is no reasoning model: its provider takes temperature and top_p.
      const response = await client.responses.create({
        model: "ponder/openai:gpt-4o",
        input: "Two and two?",
        temperature: 0.3,
        top_p: 0.9,
        max_output_tokens: 500,
        tools: [lookupTool as never],
        tool_choice: "required",
        parallel_tool_calls: false,
      });
      const sent = fixture.model.requests.at(-1)?.body ?? {};
      assert.equal(sent.temperature, 0.3);
      assert.equal(sent.top_p, 0.9);
      assert.ok(sent.max_output_tokens <= 500 && sent.max_output_tokens > 0, String(sent.max_output_tokens));
      assert.equal(sent.tool_choice, "required");
      assert.equal(sent.parallel_tool_calls, false);
      assert.deepEqual(
        response.output.filter((item) => item.type === "function_call").map((item) => item.type === "function_call" && item.name),
        ["lookup_code"],
      );

      const before = fixture.model.requests.length;
      const completion = await client.chat.completions.create({
        model: "ponder",
        messages: [{ role: "user", content: "Two and two?" }],
        n: 2,
      });
      assert.deepEqual(
        completion.choices.map((choice) => [choice.index, choice.message.content, choice.finish_reason]),
        [
          [0, "Four.", "stop"],
          [1, "Four.", "stop"],
        ],
      );
      assert.equal(fixture.model.requests.length - before, 2, "two samples, one model call each");
    },
  );
});
