// A provider that misbehaves on purpose, over real HTTP on 127.0.0.1: each request gets the
// fault the test's plan names for it, in whichever wire format was asked (Chat Completions,
// Responses, Anthropic Messages; streamed or not), or a good answer. Faults: a 200 with a body
// that is not JSON, an empty stream, a stream cut (connection closed) or ended cleanly halfway,
// a server that accepts and never answers, one that stops sending halfway through a stream.

import { type IncomingMessage, type RequestListener, type ServerResponse, createServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { messagesEvents, messagesJson } from "./fake-anthropic-messages.js";
import { chatCompletionChunks, chatCompletionJson } from "./fake-chat-completions.js";
import type { RequestBody } from "./fake-openai-server.js";
import { responsesEvents, responsesJson } from "./fake-responses.js";
import type { FakeTurn } from "./fake-turn.js";

export const providerFaults = [
  "garbage",
  "empty-stream",
  "cut-mid-stream",
  "ends-mid-stream",
  "never-answers",
  "stalls-mid-stream",
] as const;
export type ProviderFault = (typeof providerFaults)[number];

export type FaultyProvider = {
  /** `http://127.0.0.1:<port>/v1` */
  baseURL: string;
  /** Model requests received so far. */
  readonly requests: number;
  close(): Promise<void>;
};

/**
 * `plan(index)` names the fault for the request with that index (0 first), or "good" for the
 * answer `turn`. With `tls` (a key and certificate in PEM) it speaks HTTPS.
 */
export async function startFaultyProvider(
  plan: (index: number) => ProviderFault | "good",
  turn: FakeTurn = { text: "The answer is 42." },
  options: { tls?: { key: string; cert: string } } = {},
): Promise<FaultyProvider> {
  let requests = 0;
  const listener: RequestListener = (request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const index = requests++;
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as RequestBody;
      reply(request, response, plan(index), body, turn, index);
    });
  };
  const server = options.tls ? createHttpsServer(options.tls, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `${options.tls ? "https" : "http"}://127.0.0.1:${port}/v1`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function reply(
  request: IncomingMessage,
  response: ServerResponse,
  fault: ProviderFault | "good",
  body: RequestBody,
  turn: FakeTurn,
  index: number,
): void {
  const path = new URL(request.url ?? "/", "http://fake").pathname;
  const streamed = body.stream === true;
  const pieces = streamed ? frames(path, body, turn, index) : [JSON.stringify(json(path, body, turn, index))];
  // The first half of the answer: for one JSON body, half its text.
  const half = streamed
    ? pieces.slice(0, Math.ceil(pieces.length / 2))
    : [(pieces[0] as string).slice(0, (pieces[0] as string).length / 2)];
  const head = () => response.writeHead(200, { "content-type": streamed ? "text/event-stream" : "application/json" });
  switch (fault) {
    case "good":
      head();
      response.end(pieces.join(""));
      return;
    case "garbage":
      response.writeHead(200, { "content-type": "application/json" });
      response.end("<html><body>502 Bad Gateway</body></html>");
      return;
    case "empty-stream":
      head();
      response.end();
      return;
    case "cut-mid-stream":
      head();
      response.write(half.join(""), () => response.socket?.destroy());
      return;
    case "ends-mid-stream":
      head();
      response.end(half.join(""));
      return;
    case "never-answers":
      return;
    case "stalls-mid-stream":
      head();
      response.write(half.join(""));
      return;
  }
}

function frames(path: string, body: RequestBody, turn: FakeTurn, index: number): string[] {
  if (path === "/v1/chat/completions")
    return [...chatCompletionChunks(turn, body, index).map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`), "data: [DONE]\n\n"];
  const events = path === "/v1/responses" ? responsesEvents(turn, body, index) : messagesEvents(turn, body, index);
  return events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

function json(path: string, body: RequestBody, turn: FakeTurn, index: number): unknown {
  if (path === "/v1/chat/completions") return chatCompletionJson(turn, body, index);
  return path === "/v1/responses" ? responsesJson(turn, body, index) : messagesJson(turn, body, index);
}
