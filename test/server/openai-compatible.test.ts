import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { toolResults } from "../support/conversation.js";
import type { FakeTurn, RequestBody } from "../support/fake-openai-server.js";
import { eventually, startServerFixture } from "./server-fixture.js";

// Thinks aloud and calls a tool that does not exist (the error goes back to the model), then answers.
function thinker(body: RequestBody): FakeTurn {
  if (JSON.stringify(body).includes("slow please")) return { delayMs: 30_000, text: "too late" };
  if (toolResults(body).length === 0)
    return { reasoning: "Plan first.", text: "Let me check a tool.", toolCalls: [{ name: "no_such_tool", arguments: "{}" }] };
  return { text: "The answer is 42.", usage: { inputTokens: 30, outputTokens: 7 } };
}

test("GET /v1/models lists the default model and the ones the server was told about", async () => {
  const fixture = await startServerFixture(thinker, { models: ["anthropic:claude-sonnet-4-5"] });
  try {
    const models = await fixture.client().models.list();
    assert.deepEqual(
      models.data.map((model) => model.id),
      ["ponder/openai:gpt-5-mini", "ponder/anthropic:claude-sonnet-4-5"],
    );
  } finally {
    await fixture.close();
  }
});

test("chat.completions.create: the run's answer is the assistant message, with usage and effort", async () => {
  const fixture = await startServerFixture(thinker);
  try {
    const completion = await fixture.client().chat.completions.create({
      model: "ponder/openai:gpt-5-mini",
      reasoning_effort: "high",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "What is six times seven?" },
      ],
    });
    assert.equal(completion.choices[0]?.message.content, "The answer is 42.");
    assert.equal(completion.choices[0]?.finish_reason, "stop");
    assert.equal(completion.model, "ponder/openai:gpt-5-mini");
    assert.ok((completion.usage?.prompt_tokens ?? 0) >= 30);
    const run = (await (await fixture.request("GET", `/v1/runs/${completion.id}`)).json()) as {
      effort: string;
      status: string;
      input: string;
    };
    assert.equal(run.effort, "high");
    assert.equal(run.status, "completed");
    assert.equal(run.input, "What is six times seven?", "the question is the last user message; the system message is an instruction");
    const system = JSON.stringify(fixture.model.requests[0]?.body.input?.[0]);
    assert.match(system, /"role":"(system|developer)"/);
    assert.match(system, /Be brief\./);
    assert.equal(fixture.model.requests.length, 2, "two model turns: the tool error went back to the model");
  } finally {
    await fixture.close();
  }
});

test("chat.completions.create with stream: content is the answer; thinking aloud comes as reasoning", async () => {
  const fixture = await startServerFixture(thinker);
  try {
    const stream = await fixture.client().chat.completions.create({
      model: "ponder/openai:gpt-5-mini",
      messages: [{ role: "user", content: "What is six times seven?" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let content = "";
    let reasoning = "";
    let finish: string | null | undefined;
    let usage: number | undefined;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { content?: string; reasoning_content?: string } | undefined;
      content += delta?.content ?? "";
      reasoning += delta?.reasoning_content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage.total_tokens;
    }
    assert.equal(content, "The answer is 42.");
    assert.match(reasoning, /Let me check a tool\./);
    assert.equal(finish, "stop");
    assert.ok((usage ?? 0) > 0);
  } finally {
    await fixture.close();
  }
});

test("responses.create: the run's items are the output, with reasoning.effort", async () => {
  const fixture = await startServerFixture(thinker);
  try {
    const response = await fixture
      .client()
      .responses.create({ model: "ponder/openai:gpt-5-mini", input: "What is six times seven?", reasoning: { effort: "low" } });
    assert.equal(response.status, "completed");
    assert.equal(response.output_text, "The answer is 42.");
    const types = response.output.map((item) => item.type);
    // Ponder's own call (here to a tool that does not exist) is the server's work: a hosted-tool item with its output folded in.
    assert.deepEqual(types, ["reasoning", "reasoning", "mcp_call", "message"]);
    const call = response.output[2] as { status?: string; server_label?: string; name?: string; error?: string | null };
    assert.equal(call.server_label, "ponder");
    assert.equal(call.name, "no_such_tool");
    assert.equal(call.status, "failed");
    assert.match(call.error ?? "", /no_such_tool/);
    assert.equal(response.reasoning?.effort, "low");
    assert.ok((response.usage?.input_tokens ?? 0) >= 30);
    assert.ok(response.id.startsWith("run_"));
  } finally {
    await fixture.close();
  }
});

test("responses.create with stream: created, output items, text deltas, completed", async () => {
  const fixture = await startServerFixture(thinker);
  try {
    const stream = await fixture.client().responses.create({
      model: "ponder/openai:gpt-5-mini",
      input: [{ role: "user", content: "What is six times seven?" }],
      stream: true,
    });
    const types: string[] = [];
    let text = "";
    let completed: { status?: string; output?: unknown[] } | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.completed") completed = event.response;
    }
    assert.equal(types[0], "response.created");
    assert.equal(types.at(-1), "response.completed");
    assert.ok(types.includes("response.output_item.added") && types.includes("response.output_item.done"));
    assert.equal(text, "The answer is 42.");
    assert.equal(completed?.status, "completed");
    assert.deepEqual(
      (completed?.output as { type: string }[]).map((item) => item.type),
      ["reasoning", "reasoning", "mcp_call", "message"],
    );
  } finally {
    await fixture.close();
  }
});

test("background responses: queued at once, retrieved later, and cancelled", async () => {
  const fixture = await startServerFixture(thinker);
  try {
    const client = fixture.client();
    const quick = await client.responses.create({ model: "ponder/openai:gpt-5-mini", input: "What is six times seven?", background: true });
    assert.ok(quick.status === "queued" || quick.status === "in_progress");
    assert.equal(quick.background, true);
    const done = await eventually(
      () => client.responses.retrieve(quick.id),
      (response) => response.status === "completed",
    );
    assert.equal(done.output_text, "The answer is 42.");

    const slow = await client.responses.create({ model: "ponder/openai:gpt-5-mini", input: "slow please", background: true });
    await eventually(
      () => client.responses.retrieve(slow.id),
      (response) => response.status === "in_progress",
    );
    const cancelled = await client.responses.cancel(slow.id);
    assert.equal(cancelled.status, "cancelled");
    assert.equal((await client.responses.retrieve(slow.id)).status, "cancelled");
  } finally {
    await fixture.close();
  }
});

test("bad requests get OpenAI's error shape through the official client", async () => {
  const fixture = await startServerFixture(thinker);
  try {
    const client = fixture.client();
    await assert.rejects(
      client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
      (error: { status?: number; code?: string }) => error.status === 404 && error.code === "model_not_found",
    );
    await assert.rejects(
      client.chat.completions.create({ model: "ponder", messages: [] }),
      (error: { status?: number; param?: string }) => error.status === 400 && error.param === "messages",
    );
    await assert.rejects(client.responses.retrieve("run_missing"), (error: { status?: number }) => error.status === 404);
  } finally {
    await fixture.close();
  }
});

// A 1×1 PNG: enough for a real data URL that the model request and the workspace both carry.
const tinyPng = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

test("images in the last user message reach the model and the run's workspace; bad images are 400", async () => {
  const fixture = await startServerFixture(() => ({ text: "A single pixel." }));
  try {
    const client = fixture.client();
    const completion = await client.chat.completions.create({
      model: "ponder",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is in this image?" },
            { type: "image_url", image_url: { url: tinyPng, detail: "low" } },
          ],
        },
      ],
    });
    assert.equal(completion.choices[0]?.message.content, "A single pixel.");
    assert.ok(JSON.stringify(fixture.model.requests[0]?.body).includes(tinyPng.slice(30, 80)), "the model request carries the image");
    const saved = readFileSync(join(fixture.home, "runs", completion.id, "workspace", "attachments", "image-1.png"));
    assert.deepEqual(saved, Buffer.from(tinyPng.split(",")[1] as string, "base64"), "the image is a file the tools can open");

    const response = await client.responses.create({
      model: "ponder",
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "And this one?" },
            { type: "input_image", image_url: tinyPng, detail: "auto" },
          ],
        },
      ],
    });
    assert.equal(response.output_text, "A single pixel.");

    await assert.rejects(
      client.chat.completions.create({
        model: "ponder",
        messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "data:image/svg+xml;base64,PHN2Zz4=" } }] }],
      }),
      (error: { status?: number; param?: string; code?: string }) =>
        error.status === 400 && error.param === "messages.0.content.0.image_url" && error.code === "unsupported_image",
    );
    // An image in an earlier turn is part of the history the model reads.
    const later = await client.chat.completions.create({
      model: "ponder",
      messages: [
        { role: "user", content: [{ type: "image_url", image_url: { url: tinyPng } }] },
        { role: "assistant", content: "A pixel." },
        { role: "user", content: "And now?" },
      ],
    });
    assert.equal(later.choices[0]?.message.content, "A single pixel.");
    assert.ok(
      JSON.stringify(fixture.model.requests.at(-1)?.body.input).includes(tinyPng.slice(30, 80)),
      "the earlier image reached the model",
    );
    await assert.rejects(
      client.chat.completions.create({
        model: "ponder",
        messages: [{ role: "user", content: [{ type: "input_audio", input_audio: { data: "", format: "wav" } }] }],
      }),
      (error: { status?: number; code?: string }) => error.status === 400 && error.code === "unsupported_content",
    );
  } finally {
    await fixture.close();
  }
});

test("an image of several megabytes fits the body limit of the OpenAI endpoints and the runs API; a body past 32 MB is a 413", async () => {
  const fixture = await startServerFixture(() => ({ text: "A large picture." }));
  try {
    const large = `data:image/png;base64,${"A".repeat(4 * 1024 * 1024)}`;
    const completion = await fixture.client().chat.completions.create({
      model: "ponder",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Describe it." },
            { type: "image_url", image_url: { url: large } },
          ],
        },
      ],
    });
    assert.equal(completion.choices[0]?.message.content, "A large picture.");
    assert.ok(JSON.stringify(fixture.model.requests[0]?.body).length > 4 * 1024 * 1024, "the model received the whole image");
    const queued = await fixture.request("POST", "/v1/runs", { body: { input: "Describe it.", images: [large] } });
    assert.equal(queued.status, 201);
    const huge = `data:image/png;base64,${"A".repeat(33 * 1024 * 1024)}`;
    const refused = await fixture.request("POST", "/v1/responses", {
      body: { model: "ponder", input: [{ role: "user", content: [{ type: "input_image", image_url: huge }] }] },
    });
    assert.equal(refused.status, 413);
  } finally {
    await fixture.close();
  }
});
