import assert from "node:assert/strict";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { ModelCallError } from "../../src/core/errors.js";
import { AiSdkModelClient } from "../../src/models/ai-sdk-model-client.js";
import type { RequestBody } from "../support/fake-openai-server.js";
import { ChatCompletionsModelClient } from "../../src/models/chat-completions/chat-completions-model-client.js";
import { serverSentEventData } from "../../src/models/chat-completions/server-sent-events.js";
import { resolveModel } from "../../src/models/resolve-model.js";
import { drain, modelRequest, readTool, searchTool } from "./turn-helpers.js";

/** A raw HTTP server whose every reply the test writes by hand: frames, status, a dropped socket. */
type Reply = (request: IncomingMessage, response: ServerResponse, body: RequestBody) => void | Promise<void>;

async function startRawServer(): Promise<{
  baseURL: string;
  bodies: RequestBody[];
  reply: (next: Reply) => void;
  /** Connections the server has accepted so far. */
  connections: () => number;
  close: () => Promise<void>;
}> {
  const bodies: RequestBody[] = [];
  let connections = 0;
  let current: Reply = (_request, response) => void response.end();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as RequestBody;
      bodies.push(body);
      void current(request, response, body);
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    bodies,
    reply: (next) => void (current = next),
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const frame = (chunk: unknown) => `data: ${JSON.stringify(chunk)}\n\n`;
const delta = (fields: Record<string, unknown>, finishReason: string | null = null) => ({
  choices: [{ index: 0, delta: fields, finish_reason: finishReason }],
});

function sse(frames: string[], options: { split?: boolean } = {}): Reply {
  return (_request, response) => {
    response.writeHead(200, { "content-type": "text/event-stream" });
    // Split every frame in two, mid-line, to exercise the parser's buffering.
    for (const text of frames) {
      if (options.split) {
        const half = Math.floor(text.length / 2);
        response.write(text.slice(0, half));
        response.write(text.slice(half));
      } else response.write(text);
    }
    response.end();
  };
}

async function rejection(promise: Promise<unknown>): Promise<ModelCallError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ModelCallError, `expected a ModelCallError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected the call to fail");
}

describe("serverSentEventData", () => {
  const collect = async (chunks: (string | Buffer)[]) => {
    const events: string[] = [];
    for await (const data of serverSentEventData(Readable.from(chunks))) events.push(data);
    return events;
  };

  it("handles \\n, \\r\\n and \\r line ends, split chunks, comments and multi-line data", async () => {
    assert.deepEqual(await collect(["data: a\n\n", "data: b\r\n\r", "\n: comment\r\ndata: c1\rdata:c2\r\r"]), ["a", "b", "c1\nc2"]);
    assert.deepEqual(await collect(["da", "ta: x", "y\n", "\nevent: ignored\ndata: z\n\n"]), ["xy", "z"]);
  });

  it("keeps a UTF-8 character whole across chunks, and delivers a last event without its blank line", async () => {
    const bytes = Buffer.from("data: héllo ✓\n\ndata: end", "utf8");
    const cut = bytes.indexOf(0xc3) + 1; // Inside "é".
    assert.deepEqual(await collect([bytes.subarray(0, cut), bytes.subarray(cut)]), ["héllo ✓", "end"]);
  });
});

describe("ChatCompletionsModelClient", () => {
  let server: Awaited<ReturnType<typeof startRawServer>>;
  before(async () => {
    server = await startRawServer();
  });
  after(() => server.close());

  const client = (api: "openai-chat" | "openai-compatible" = "openai-compatible", modelName = "qwen3:8b") =>
    new ChatCompletionsModelClient({ id: `compat:${modelName}`, baseURL: server.baseURL, apiKey: "secret", api });

  it("streams reasoning and text, joins tool calls split over chunks by index, and reads usage", async () => {
    server.reply(
      sse(
        [
          frame(delta({ role: "assistant", reasoning_content: "Let me " })),
          frame(delta({ reasoning_content: "think." })),
          frame(delta({ content: "Calling." })),
          frame(delta({ tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "search", arguments: '{"que' } }] })),
          frame(delta({ tool_calls: [{ index: 1, id: "call_2", type: "function", function: { name: "read", arguments: "" } }] })),
          frame(
            delta({
              tool_calls: [
                { index: 0, function: { arguments: 'ry":"x"}' } },
                { index: 1, function: { arguments: '{"url":"u"}' } },
              ],
            }),
          ),
          frame(delta({}, "tool_calls")),
          frame({
            choices: [],
            usage: {
              prompt_tokens: 40,
              completion_tokens: 12,
              prompt_tokens_details: { cached_tokens: 8 },
              completion_tokens_details: { reasoning_tokens: 5 },
            },
          }),
          "data: [DONE]\n\n",
        ],
        { split: true },
      ),
    );
    const turn = await drain(client().stream(modelRequest({ tools: [searchTool, readTool], effort: "high" })));
    assert.equal(turn.reasoning, "Let me think.");
    assert.equal(turn.text, "Calling.");
    assert.deepEqual(turn.finish.items, [
      { type: "reasoning", summary: [], content: [{ type: "reasoning_text", text: "Let me think." }] },
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "Calling." }] },
      { type: "function_call", call_id: "call_1", name: "search", arguments: '{"query":"x"}' },
      { type: "function_call", call_id: "call_2", name: "read", arguments: '{"url":"u"}' },
    ]);
    assert.deepEqual(turn.finish.usage, { inputTokens: 40, outputTokens: 12, reasoningTokens: 5, cachedInputTokens: 8 });
    assert.equal(turn.finish.finishReason, "tool-calls");
    const body = server.bodies.at(-1) as RequestBody;
    assert.equal(body.model, "qwen3:8b");
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(body.reasoning_effort, "high");
    assert.equal(body.tool_choice, "auto");
    assert.deepEqual(body.tools[0], {
      type: "function",
      function: { name: "search", description: searchTool.description, parameters: searchTool.inputSchema },
    });
  });

  it("sends the conversation back in Chat Completions shapes, with reasoning as reasoning_content", async () => {
    server.reply(sse([frame(delta({ content: "ok" }, "stop")), "data: [DONE]\n\n"]));
    await drain(
      client().stream(
        modelRequest({
          instructions: "Be brief.",
          tools: [searchTool],
          maxOutputTokens: 100,
          items: [
            { type: "message", id: "u", role: "user", content: [{ type: "input_text", text: "Find x." }] },
            { type: "reasoning", id: "r", summary: [], content: [{ type: "reasoning_text", text: "Search it." }] },
            { type: "function_call", id: "c", call_id: "call_1", name: "search", arguments: '{"query":"x"}' },
            { type: "function_call_output", id: "o", call_id: "call_1", output: "found" },
          ],
        }),
      ),
    );
    assert.deepEqual((server.bodies.at(-1) as RequestBody).messages, [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Find x." },
      {
        role: "assistant",
        content: null,
        reasoning_content: "Search it.",
        tool_calls: [{ id: "call_1", type: "function", function: { name: "search", arguments: '{"query":"x"}' } }],
      },
      { role: "tool", tool_call_id: "call_1", content: "found" },
    ]);
    assert.equal((server.bodies.at(-1) as RequestBody).max_tokens, 100);
  });

  it("sends each header once: the key, Host with the port, and configured headers replacing its own whatever their case", async () => {
    let rawHeaders: string[] = [];
    server.reply((request, response) => {
      rawHeaders = request.rawHeaders;
      return sse([frame(delta({ content: "ok" }, "stop")), "data: [DONE]\n\n"])(request, response, {} as RequestBody);
    });
    const configured = new ChatCompletionsModelClient({
      id: "compat:m",
      baseURL: server.baseURL,
      apiKey: "secret",
      api: "openai-compatible",
      headers: { Authorization: "Bearer other", "X-Team": "blue" },
    });
    await drain(configured.stream(modelRequest({ instructions: "Say “hi” …" })));
    const names = rawHeaders.filter((_value, index) => index % 2 === 0).map((name) => name.toLowerCase());
    assert.equal(new Set(names).size, names.length, `a header was sent twice: ${names.join(", ")}`);
    const header = (name: string) =>
      rawHeaders[rawHeaders.findIndex((value, index) => index % 2 === 0 && value.toLowerCase() === name) + 1];
    assert.equal(header("authorization"), "Bearer other");
    assert.equal(header("x-team"), "blue");
    assert.equal(header("host"), new URL(server.baseURL).host);
    assert.equal(header("content-type"), "application/json");
    // The length counts bytes: the instructions' non-ASCII characters take more than one each.
    assert.equal((server.bodies.at(-1) as RequestBody).messages[0]?.content, "Say “hi” …");
    const withCredentials = new URL(server.baseURL);
    withCredentials.username = "me";
    withCredentials.password = "p@ss";
    await drain(
      new ChatCompletionsModelClient({ id: "compat:m", baseURL: withCredentials.href, api: "openai-compatible" }).stream(modelRequest({})),
    );
    assert.equal(
      header("authorization"),
      `Basic ${Buffer.from("me:p@ss").toString("base64")}`,
      "credentials in the base URL, as node:http sends them",
    );
  });

  it("gives OpenAI reasoning models developer instructions and max_completion_tokens", async () => {
    server.reply(sse([frame(delta({ content: "ok" }, "stop")), "data: [DONE]\n\n"]));
    await drain(
      client("openai-chat", "o4-mini").stream(modelRequest({ instructions: "Be brief.", maxOutputTokens: 50, effort: "minimal" })),
    );
    const body = server.bodies.at(-1) as RequestBody;
    assert.deepEqual(body.messages[0], { role: "developer", content: "Be brief." });
    assert.equal(body.max_completion_tokens, 50);
    assert.equal(body.max_tokens, undefined);
    assert.equal(body.reasoning_effort, "low");
  });

  it("makes one plain call when nobody watches the deltas", async () => {
    server.reply((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          choices: [{ index: 0, message: { role: "assistant", content: "Plain.", reasoning: "Hm." }, finish_reason: "stop" }],
          usage: { prompt_tokens: 3, completion_tokens: 2 },
        }),
      );
    });
    const parts = [];
    for await (const part of client().stream(modelRequest({ stream: false }))) parts.push(part);
    assert.equal(parts.length, 1);
    assert.deepEqual(parts[0], {
      type: "finish",
      items: [
        { type: "reasoning", summary: [], content: [{ type: "reasoning_text", text: "Hm." }] },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "Plain." }] },
      ],
      usage: { inputTokens: 3, outputTokens: 2, reasoningTokens: 0, cachedInputTokens: 0 },
      finishReason: "stop",
    });
    assert.equal((server.bodies.at(-1) as RequestBody).stream, undefined);
  });

  it("maps HTTP errors: 429 is retried after the provider's wait, 401 names the key", async () => {
    server.reply((_request, response) => {
      response.writeHead(429, { "content-type": "application/json", "retry-after": "3" });
      response.end(JSON.stringify({ error: { message: "Slow down", type: "rate_limit_error" } }));
    });
    const limited = await rejection(drain(client().stream(modelRequest())));
    assert.equal(limited.status, 429);
    assert.equal(limited.retryable, true);
    assert.equal(limited.retryAfterMs, 3000);
    assert.match(limited.message, /HTTP 429.*Slow down/);
    server.reply((_request, response) => {
      response.writeHead(401, { "content-type": "text/plain" });
      response.end("bad key");
    });
    const rejected = await rejection(drain(client().stream(modelRequest())));
    assert.equal(rejected.retryable, false);
    assert.match(rejected.message, /HTTP 401.*bad key/);
    assert.match(rejected.hint ?? "", /API key was rejected/);
  });

  it("retries a stream that broke, ended early or could not be read (a provider fault, not the model's)", async () => {
    server.reply((_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(frame(delta({ content: "Half" })), () => response.socket?.destroy());
    });
    const broken = await rejection(drain(client().stream(modelRequest())));
    assert.equal(broken.retryable, true);
    server.reply(sse([frame(delta({ content: "Half" }))]));
    const early = await rejection(drain(client().stream(modelRequest())));
    assert.equal(early.retryable, true);
    assert.match(early.message, /ended before the turn finished/);
    server.reply(sse(["data: {not json\n\n"]));
    const unreadable = await rejection(drain(client().stream(modelRequest())));
    assert.equal(unreadable.retryable, true);
    assert.match(unreadable.message, /could not read/);
    server.reply(sse([frame({ error: { message: "Model overloaded", type: "server_error" } })]));
    const inStream = await rejection(drain(client().stream(modelRequest())));
    assert.equal(inStream.status, 500);
    assert.equal(inStream.retryable, true);
  });

  it("says a provider is unreachable when nothing listens at its base URL", async () => {
    const closed = await startRawServer();
    await closed.close();
    const unreachable = new ChatCompletionsModelClient({ id: "compat:m", baseURL: closed.baseURL, api: "openai-compatible" });
    const error = await rejection(drain(unreachable.stream(modelRequest())));
    assert.equal(error.retryable, false);
    assert.match(error.message, /unreachable \(connection refused\)/);
  });

  it("stops mid-stream on abort, rejecting with the abort reason and closing the connection", async () => {
    let disconnected: Promise<void> | undefined;
    server.reply((_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(frame(delta({ content: "Thinking" })));
      disconnected = new Promise((resolve) => response.on("close", () => resolve()));
    });
    const controller = new AbortController();
    const stream = client().stream(modelRequest({ signal: controller.signal }));
    const first = await stream.next();
    assert.deepEqual(first.value, { type: "text-delta", delta: "Thinking" });
    const reason = new Error("user cancelled");
    const pending = stream.next();
    controller.abort(reason);
    await assert.rejects(pending, (error) => error === reason);
    await disconnected;
  });

  it("keeps its connection alive between calls; a header HTTP does not allow is refused before connecting, and named", async () => {
    const own = await startRawServer();
    try {
      own.reply(sse([frame(delta({ content: "Hi" }, "stop")), "data: [DONE]\n\n"]));
      const ownClient = (apiKey: string) =>
        new ChatCompletionsModelClient({ id: "compat:m", baseURL: own.baseURL, apiKey, api: "openai-compatible" });
      const steady = ownClient("secret");
      // undici may open a second connection while its first one's exchange settles; after that, one serves all.
      for (let call = 0; call < 2; call++) await drain(steady.stream(modelRequest()));
      const opened = own.connections();
      for (let call = 0; call < 3; call++) assert.equal((await drain(steady.stream(modelRequest()))).text, "Hi");
      assert.equal(own.connections(), opened);
      assert.ok(opened <= 2, `${opened} connections for 2 calls`);
      const pasted = await rejection(drain(ownClient("secret\n").stream(modelRequest())));
      assert.match(pasted.message, /"authorization" .* a character HTTP does not allow/);
      assert.equal(pasted.retryable, false);
      assert.equal(own.bodies.length, 5, "nothing was sent");
    } finally {
      await own.close();
    }
  });

  it("a kept-alive connection the server dropped fails the call as retryable: retry.ts sends it again", async () => {
    const own = await startRawServer();
    try {
      const ownClient = new ChatCompletionsModelClient({ id: "compat:m", baseURL: own.baseURL, apiKey: "k", api: "openai-compatible" });
      own.reply(sse([frame(delta({ content: "Hi" }, "stop")), "data: [DONE]\n\n"]));
      for (let call = 0; call < 2; call++) await drain(ownClient.stream(modelRequest()));
      // The next request, on a kept-alive connection, finds the server closing it without a word.
      const opened = own.connections();
      let onKeptConnection = false;
      own.reply((request) => {
        onKeptConnection = own.connections() === opened;
        request.socket.destroy();
      });
      const dropped = await rejection(drain(ownClient.stream(modelRequest())));
      assert.ok(onKeptConnection);
      assert.equal(dropped.retryable, true, dropped.message);
      own.reply(sse([frame(delta({ content: "Again" }, "stop")), "data: [DONE]\n\n"]));
      assert.equal((await drain(ownClient.stream(modelRequest()))).text, "Again");
    } finally {
      await own.close();
    }
  });
});

describe("choosing the Chat Completions client", () => {
  it("uses Ponder's own client by default and the AI SDK provider with client: ai-sdk", () => {
    const compat = { baseURL: "http://127.0.0.1:9/v1" };
    assert.ok(resolveModel("compat:m", { compat }) instanceof ChatCompletionsModelClient);
    assert.ok(resolveModel("ollama:qwen3:8b", {}) instanceof ChatCompletionsModelClient);
    assert.ok(resolveModel("openai:gpt-4o", { openai: { apiKey: "k", api: "chat" } }) instanceof ChatCompletionsModelClient);
    assert.ok(resolveModel("compat:m", { compat: { ...compat, client: "ai-sdk" } }) instanceof AiSdkModelClient);
    assert.ok(resolveModel("openai:gpt-4o", { openai: { apiKey: "k", api: "chat", client: "ai-sdk" } }) instanceof AiSdkModelClient);
    assert.ok(resolveModel("openai:gpt-4o", { openai: { apiKey: "k" } }) instanceof AiSdkModelClient);
  });
});
