// A fake OpenAI-compatible (and Anthropic) HTTP server on 127.0.0.1 with a random port: real
// HTTP, real SSE, real tool-call JSON, so provider packages and the official `openai` client are
// tested for real. It plays scripted turns, records every request, and stops writing when the
// client goes away. Importable from any test or benchmark; no waits unless a turn asks for them.

import { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { chatCompletionChunks, chatCompletionError, chatCompletionJson } from "./fake-chat-completions.js";
import { messagesError, messagesEvents, messagesJson } from "./fake-anthropic-messages.js";
import { responsesEvents, responsesJson } from "./fake-responses.js";
import type { FakeTurn } from "./fake-turn.js";

export type { FakeToolCall, FakeTurn, FakeUsage } from "./fake-turn.js";
export { fakeSignature } from "./fake-anthropic-messages.js";

// Recorded bodies are whatever JSON the client sent; tests read into them freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RequestBody = Record<string, any>;

export type FakeTurnHandler = (body: RequestBody, index: number, path: string) => FakeTurn | undefined | Promise<FakeTurn | undefined>;

export type FakeServerOptions = FakeTurn[] | FakeTurnHandler | { turns?: FakeTurn[]; handler?: FakeTurnHandler };

export type RecordedRequest = {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: RequestBody;
  /** True when the client went away before the response was complete. */
  clientDisconnected: boolean;
};

export type FakeOpenAIServer = {
  /** `http://127.0.0.1:<port>/v1` */
  baseURL: string;
  /** Model requests (POST), in the order received. */
  requests: RecordedRequest[];
  close(): Promise<void>;
};

const modelPaths = new Set(["/v1/chat/completions", "/v1/responses", "/v1/messages"]);

export async function startFakeOpenAIServer(options: FakeServerOptions = []): Promise<FakeOpenAIServer> {
  const turns = Array.isArray(options) ? options : typeof options === "function" ? undefined : options.turns;
  const handler = typeof options === "function" ? options : Array.isArray(options) ? undefined : options.handler;
  const requests: RecordedRequest[] = [];

  const nextTurn = async (body: RequestBody, index: number, path: string): Promise<FakeTurn | undefined> =>
    handler ? handler(body, index, path) : turns?.[index];

  const server = createServer((request, response) => {
    serve(request, response, requests, nextTurn).catch((error: unknown) => {
      if (!response.headersSent)
        sendJson(response, 500, { error: { message: `fake server failed: ${String(error)}`, type: "server_error" } });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  requests: RecordedRequest[],
  nextTurn: (body: RequestBody, index: number, path: string) => Promise<FakeTurn | undefined>,
): Promise<void> {
  const path = new URL(request.url ?? "/", "http://fake").pathname;
  if (request.method === "GET" && path === "/v1/models") {
    sendJson(response, 200, { object: "list", data: [{ id: "fake-model", object: "model", created: 1_750_000_000, owned_by: "fake" }] });
    return;
  }
  if (request.method !== "POST" || !modelPaths.has(path)) {
    sendJson(response, 404, errorBody(path, 404, `fake server: no route ${request.method} ${path}`));
    return;
  }
  let body: RequestBody;
  try {
    body = JSON.parse(await readBody(request)) as RequestBody;
  } catch {
    sendJson(response, 400, errorBody(path, 400, "fake server: the request body is not JSON"));
    return;
  }
  const record: RecordedRequest = { method: request.method, path, headers: request.headers, body, clientDisconnected: false };
  const index = requests.push(record) - 1;
  response.on("close", () => {
    if (!response.writableFinished) record.clientDisconnected = true;
  });

  const turn = await nextTurn(body, index, path);
  if (turn === undefined) {
    sendJson(response, 400, errorBody(path, 400, `fake server: no turn ${index + 1} scripted`));
    return;
  }
  if (turn.delayMs) await wait(turn.delayMs, response);
  if (response.destroyed) return;
  if (turn.status !== undefined && turn.status >= 400) {
    sendJson(response, turn.status, turn.errorBody ?? errorBody(path, turn.status, `fake error ${turn.status}`), turn.headers);
    return;
  }
  if (body.stream !== true) {
    const json =
      path === "/v1/chat/completions"
        ? chatCompletionJson(turn, body, index)
        : path === "/v1/responses"
          ? responsesJson(turn, body, index)
          : messagesJson(turn, body, index);
    sendJson(response, turn.status ?? 200, json, turn.headers);
    return;
  }
  await streamEvents(response, path, turn, body, index);
}

async function streamEvents(response: ServerResponse, path: string, turn: FakeTurn, body: RequestBody, index: number): Promise<void> {
  // Chat Completions sends bare `data:` lines ending in [DONE]; Responses and Messages name each event.
  const frames: string[] =
    path === "/v1/chat/completions"
      ? [...chatCompletionChunks(turn, body, index).map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`), "data: [DONE]\n\n"]
      : (path === "/v1/responses" ? responsesEvents(turn, body, index) : messagesEvents(turn, body, index)).map(
          (event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`,
        );
  response.writeHead(turn.status ?? 200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    ...turn.headers,
  });
  for (const [sent, frame] of frames.entries()) {
    if (response.destroyed) return;
    if (turn.streamError !== undefined && sent >= turn.streamError.afterEvents) {
      response.end(streamErrorFrame(path, turn.streamError, sent));
      return;
    }
    if (turn.dropConnectionAfterEvents !== undefined && sent >= turn.dropConnectionAfterEvents) {
      response.socket?.destroy();
      return;
    }
    // Waiting for the flush keeps events apart on the wire and lets a dropped connection
    // happen after the client really received the earlier events.
    await new Promise<void>((resolve) => response.write(frame, () => resolve()));
    if (turn.eventDelayMs) await wait(turn.eventDelayMs, response);
  }
  response.end();
}

/** The error event each API puts in its stream when it fails mid-answer. */
function streamErrorFrame(path: string, error: NonNullable<FakeTurn["streamError"]>, sequenceNumber: number): string {
  const message = error.message ?? `fake stream error ${error.type}`;
  if (path === "/v1/messages") return `event: error\ndata: ${JSON.stringify({ type: "error", error: { type: error.type, message } })}\n\n`;
  if (path === "/v1/responses") {
    const event = { type: "error", sequence_number: sequenceNumber, code: error.type, message, param: null };
    return `event: error\ndata: ${JSON.stringify(event)}\n\n`;
  }
  return `data: ${JSON.stringify({ error: { message, type: error.type, code: error.type, param: null } })}\n\n`;
}

function errorBody(path: string, status: number, message: string): unknown {
  return path === "/v1/messages" ? messagesError(status, message) : chatCompletionError(status, message);
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** Waits, but no longer than the client stays connected. */
function wait(ms: number, response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    response.once("close", done);
    function done() {
      clearTimeout(timer);
      response.off("close", done);
      resolve();
    }
  });
}
