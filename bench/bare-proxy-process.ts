// The least a Node.js proxy of `POST /chat/completions` can do, for the proxy benchmark's floor:
// read the client's JSON, forward its messages to the model over a keep-alive connection, and
// answer with the model's choices. No store, no run: what any proxy in Node pays on this machine.
// Started with the model server's base URL; prints its own base URL on stdout.
import { Agent, createServer, request, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

const target = new URL(`${process.argv[2]}/chat/completions`);
const agent = new Agent({ keepAlive: true });

async function readJson(message: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
}

const server = createServer((incoming, response) => {
  void readJson(incoming).then((body) => {
    const forwarded = JSON.stringify({ model: "gpt-4o-mini", messages: body.messages });
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
    outgoing.end(forwarded);
  });
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`));
process.on("SIGTERM", () => process.exit(0));
