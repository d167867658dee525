// The least a Node.js proxy of `POST /chat/completions` can do, for the proxy benchmark's floor:
// read the client's JSON, forward its messages to the model over a keep-alive connection, and
// answer with the model's choices. No store, no run: what any proxy in Node pays on this machine.
// Started with the model server's base URL; prints its own base URL on stdout. A second argument
// names a file holding a request body (Ponder's, with its system prompt and tools' schemas): then
// every request forwarded is that one with the client's messages after its own, the rest of it
// serialised once.
import { readFileSync } from "node:fs";
import { Agent, createServer, request, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

const target = new URL(`${process.argv[2]}/chat/completions`);
const template = process.argv[3] ? (JSON.parse(readFileSync(process.argv[3], "utf8")) as Record<string, unknown>) : undefined;
const forwardedBody = template ? forwardWithTemplate(template) : (messages: unknown) => JSON.stringify({ model: "gpt-4o-mini", messages });

function forwardWithTemplate({ messages, ...rest }: Record<string, unknown>): (messages: unknown) => string {
  const own = (messages as { role?: string }[]).filter((message) => message.role !== "user");
  const restJson = JSON.stringify(rest).slice(1);
  return (clientMessages) => `{"messages":${JSON.stringify([...own, ...(clientMessages as unknown[])])},${restJson}`;
}
// Idle connections are closed before the model server's keep-alive timeout (5 s) would close them
// under a request being sent (a burst's connections wait idle while other targets take their turn).
const agent = new Agent({ keepAlive: true, timeout: 4_000 });

async function readJson(message: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
}

const server = createServer((incoming, response) => {
  void readJson(incoming).then((body) => {
    const forwarded = forwardedBody(body.messages);
    const outgoing = request(
      target,
      { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(forwarded) } },
      (answer) => {
        void readJson(answer).then((completion) => {
          const json = JSON.stringify({
            id: "chatcmpl-bare",
            object: "chat.completion",
            model: body.model,
            choices: completion.choices,
            usage: completion.usage,
          });
          response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(json) }).end(json);
        });
      },
    );
    outgoing.on("error", (error) => response.writeHead(502).end(String(error)));
    outgoing.end(forwarded);
  });
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`));
process.on("SIGTERM", () => process.exit(0));
