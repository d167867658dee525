import { test } from "node:test";
import assert from "node:assert/strict";
import { APIError } from "openai";
import { conversationScript, firstAnswer, firstQuestion, followUpQuestion, rememberedAnswer } from "../support/conversation-script.js";
import { eventually, startServerFixture } from "./server-fixture.js";

// Conversations over the OpenAI endpoints, against a fake model over real HTTP and the real Python
// sandbox: the follow-up is answered right only if it carried turn 1's tool output and found its file.

test("responses.create with previous_response_id continues the conversation: turn 1's tool output and workspace", async () => {
  const fixture = await startServerFixture(conversationScript);
  try {
    const client = fixture.client();
    const first = await client.responses.create({ model: "ponder", input: firstQuestion });
    assert.equal(first.output_text, firstAnswer);
    const second = await client.responses.create({ model: "ponder", input: followUpQuestion, previous_response_id: first.id });
    assert.match(second.output_text, rememberedAnswer);
    assert.equal(second.previous_response_id, first.id);
    const run = (await (await fixture.request("GET", `/v1/runs/${second.id}`)).json()) as { items: { item: { type: string } }[] };
    assert.ok(!JSON.stringify(run.items).includes(firstAnswer), "the follow-up's run holds only its own items");
    const continued = await client.responses.delete(first.id).catch((caught: unknown) => caught);
    assert.ok(
      continued instanceof APIError && continued.status === 409,
      "a turn that a later one reads is kept while the later one exists",
    );
    await client.responses.delete(second.id);
    await client.responses.delete(first.id);
  } finally {
    await fixture.close();
  }
});

test("previous_response_id: unknown or another tenant's is a 404, a running one a 409; nothing is started", async () => {
  const fixture = await startServerFixture(
    (body) => (JSON.stringify(body).includes("slowly") ? { delayMs: 60_000, text: "late" } : { text: "Done." }),
    { tenants: ["alpha", "beta"] },
  );
  try {
    const alpha = fixture.client(fixture.keys.alpha);
    const beta = fixture.client(fixture.keys.beta);
    const finished = await alpha.responses.create({ model: "ponder", input: "Say done." });
    const running = await alpha.responses.create({ model: "ponder", input: "Answer slowly.", background: true });
    // The background run is asking the model: everything after this would be a new request.
    const requests = await eventually(
      async () => fixture.model.requests.length,
      (count) => count === 2,
    );
    const refusal = (previous: string, client = alpha) =>
      client.responses.create({ model: "ponder", input: "And then?", previous_response_id: previous }).catch((caught: unknown) => caught);
    for (const [error, status] of [
      [await refusal("resp_made_up"), 404],
      [await refusal(finished.id, beta), 404],
      [await refusal(running.id), 409],
    ] as const) {
      assert.ok(error instanceof APIError && error.status === status, String(error));
    }
    const foreign = (await refusal(finished.id, beta)) as APIError;
    assert.equal(foreign.code, "run_not_found", "told exactly what a missing id is told");
    assert.equal(fixture.model.requests.length, requests, "no model was asked");
    await alpha.responses.cancel(running.id);
  } finally {
    await fixture.close();
  }
});

test("the previous output sent back as input, with a new user message, is the history the follow-up reads", async () => {
  const fixture = await startServerFixture(conversationScript);
  try {
    const client = fixture.client();
    const first = await client.responses.create({ model: "ponder", input: firstQuestion });
    assert.ok(
      first.output.some((item) => item.type === "code_interpreter_call"),
      "turn 1 used Python",
    );
    const input = [{ role: "user", content: firstQuestion }, ...first.output, { role: "user", content: followUpQuestion }] as never;
    const second = await client.responses.create({ model: "ponder", input });
    // The token is known only from turn 1's tool output; its file stays in turn 1's workspace.
    assert.equal(second.output_text, "note.txt is missing.");
    const inputItems = await client.responses.inputItems.list(second.id, { order: "asc", limit: 100 });
    assert.deepEqual(
      inputItems.data.map((item) => item.type),
      [
        "message",
        ...first.output.flatMap((item) =>
          item.type === "code_interpreter_call" ? ["function_call", "function_call_output"] : [item.type],
        ),
        "message",
      ],
      "every item sent, in order; Ponder's python call read back from the store as the call and its output",
    );
  } finally {
    await fixture.close();
  }
});

test("chat completions: an assistant's tool calls and the tool messages become function calls and outputs the model reads", async () => {
  const fixture = await startServerFixture(conversationScript);
  try {
    const completion = await fixture.client().chat.completions.create({
      model: "ponder",
      messages: [
        { role: "system", content: "Keep answers short." },
        { role: "user", content: firstQuestion },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_1", type: "function", function: { name: "python", arguments: '{"code":"print(1)"}' } }],
        },
        { role: "tool", tool_call_id: "call_1", content: "token 1a2b3c4d" },
        { role: "assistant", content: firstAnswer },
        { role: "user", content: followUpQuestion },
      ],
    });
    assert.equal(completion.choices[0]?.message.content, "note.txt is missing.", "the model found the token in the tool message");
    const request = fixture.model.requests.find((recorded) => JSON.stringify(recorded.body).includes(followUpQuestion));
    const input = (request?.body.input ?? []) as { type?: string; role?: string; call_id?: string; output?: string }[];
    assert.ok(
      input.some((item) => item.type === "function_call" && item.call_id === "call_1"),
      "a real function call, not text",
    );
    assert.ok(input.some((item) => item.type === "function_call_output" && item.call_id === "call_1" && item.output === "token 1a2b3c4d"));
    assert.ok(!JSON.stringify(input).includes("Conversation so far"));

    const run = (await (await fixture.request("GET", `/v1/runs/${completion.id}`)).json()) as {
      input: string;
      previous_run_id: string | null;
    };
    assert.equal(run.input, followUpQuestion);
    assert.ok(run.previous_run_id, "the history is a turn of the conversation");
  } finally {
    await fixture.close();
  }
});

test("a history that cannot be a conversation is a 400 naming what is wrong", async () => {
  const fixture = await startServerFixture(() => ({ text: "unused" }));
  try {
    const client = fixture.client();
    const refused = async (create: () => Promise<unknown>) => (await create().catch((caught: unknown) => caught)) as APIError;
    const orphan = await refused(() =>
      client.chat.completions.create({
        model: "ponder",
        messages: [
          { role: "tool", tool_call_id: "call_9", content: "x" },
          { role: "user", content: "Go on." },
        ],
      }),
    );
    assert.equal(orphan.status, 400);
    assert.equal(orphan.code, "unknown_call_id");
    const unanswered = await refused(() =>
      client.chat.completions.create({
        model: "ponder",
        messages: [
          { role: "assistant", content: null, tool_calls: [{ id: "call_2", type: "function", function: { name: "f", arguments: "{}" } }] },
          { role: "user", content: "Go on." },
        ],
      }),
    );
    assert.equal(unanswered.code, "missing_call_output");
    const unknownType = await refused(() =>
      client.responses.create({
        model: "ponder",
        input: [
          { type: "computer_call_output", call_id: "c" },
          { role: "user", content: "Go on." },
        ] as never,
      }),
    );
    assert.equal(unknownType.status, 400);
    assert.equal(unknownType.param, "input.0.type");
    for (const [field, value] of [
      ["conversation", "conv_1"],
      ["prompt", { id: "pmpt_1" }],
    ] as const) {
      const unsupported = await refused(() => client.responses.create({ model: "ponder", input: "Hi", [field]: value } as never));
      assert.equal(unsupported.status, 400);
      assert.equal(unsupported.param, field);
    }
    const conflicting = await refused(() =>
      client.responses.create({
        model: "ponder",
        input: "Hi",
        truncation: "disabled",
        context_management: [{ type: "compaction", compact_threshold: 5_000 }],
      } as never),
    );
    assert.equal(conflicting.status, 400);
    assert.equal(conflicting.param, "truncation");
    const trailing = await refused(() =>
      client.responses.create({
        model: "ponder",
        input: [
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello" },
        ],
      }),
    );
    assert.equal(trailing.status, 400);
    assert.equal(fixture.model.requests.length, 0, "no model was asked");
    assert.deepEqual(((await (await fixture.request("GET", "/v1/runs")).json()) as { data: unknown[] }).data, [], "no run was left");
  } finally {
    await fixture.close();
  }
});

test("runs API: POST /v1/runs with continue_from asks a follow-up; the run JSON lists the conversation's turns", async () => {
  const fixture = await startServerFixture(conversationScript);
  try {
    type Run = { id: string; status: string; answer: string | null; conversation_id: string; turns: { id: string; input: string }[] };
    const finished = (id: string) =>
      eventually(
        async () => (await (await fixture.request("GET", `/v1/runs/${id}`)).json()) as Run,
        (run) => run.status === "completed",
      );
    const first = (await (await fixture.request("POST", "/v1/runs", { body: { input: firstQuestion } })).json()) as Run;
    await finished(first.id);
    const created = await fixture.request("POST", "/v1/runs", { body: { input: followUpQuestion, continue_from: first.id } });
    assert.equal(created.status, 201);
    const second = await finished(((await created.json()) as Run).id);
    assert.match(second.answer ?? "", rememberedAnswer);
    assert.equal(second.conversation_id, first.id);
    assert.deepEqual(
      second.turns.map((turn) => turn.input),
      [firstQuestion, followUpQuestion],
    );
    assert.equal((await fixture.request("POST", "/v1/runs", { body: { input: "More?", continue_from: "run_unknown" } })).status, 404);
  } finally {
    await fixture.close();
  }
});

test("a conversation that no longer fits the model's context is a 400 naming the fix, on both endpoints", async () => {
  const overflow = {
    status: 400,
    errorBody: {
      error: {
        message: "This model's maximum context length is 128000 tokens.",
        type: "invalid_request_error",
        code: "context_length_exceeded",
        param: "input",
      },
    },
  };
  const fixture = await startServerFixture((body) => (JSON.stringify(body).includes("Go on") ? overflow : { text: "Fine." }));
  try {
    const client = fixture.client();
    const first = await client.responses.create({ model: "ponder", input: "Start." });
    const refused = (await client.responses
      .create({ model: "ponder", input: "Go on.", previous_response_id: first.id })
      .catch((caught: unknown) => caught)) as APIError;
    assert.equal(refused.status, 400);
    assert.equal(refused.code, "context_length_exceeded");
    assert.match(refused.message, /maximum context length[\s\S]*Start a new conversation/);
    const chat = (await client.chat.completions
      .create({ model: "ponder", messages: [{ role: "user", content: "Go on." }] })
      .catch((caught: unknown) => caught)) as APIError;
    assert.equal(chat.status, 400);
    assert.equal(chat.code, "context_length_exceeded");
  } finally {
    await fixture.close();
  }
});

test("item_reference: the previous output sent back by reference is read like the items themselves; an unknown one is a 400", async () => {
  const fixture = await startServerFixture(conversationScript, { tenants: ["alpha", "beta"] });
  try {
    const alpha = fixture.client(fixture.keys.alpha);
    const first = await alpha.responses.create({ model: "ponder", input: firstQuestion });
    const references = first.output.map((item) => ({ type: "item_reference", id: item.id }));
    const input = [{ role: "user", content: firstQuestion }, ...references, { role: "user", content: followUpQuestion }] as never;
    const second = await alpha.responses.create({ model: "ponder", input });
    assert.equal(second.output_text, "note.txt is missing.", "the referenced tool output carried the token");
    const foreign = (await fixture
      .client(fixture.keys.beta)
      .responses.create({ model: "ponder", input })
      .catch((caught: unknown) => caught)) as APIError;
    assert.equal(foreign.status, 400, "another tenant's items are not found");
    assert.equal(foreign.code, "unknown_item_reference");
    assert.equal(foreign.param, "input.1.id");
  } finally {
    await fixture.close();
  }
});
