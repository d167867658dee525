// The benchmark's model server, in its own process so its work is not billed to the harness
// being measured. Stateless: every client gets 4 tool-call turns, then an answer, decided from
// how many tool results the request already carries (Chat Completions or Responses). Started
// with the argument `answer`, it answers every request at once instead; with `tool-turns=N`, it
// plays N tool-call turns instead of 4. A line on its stdin asks
// for the requests received since the last ask (URL and body, one JSON array on stdout), so a
// benchmark's floor can replay exactly what a harness sent; the line `forget` stops keeping
// requests, so a long benchmark's model does not slow down under thousands of kept bodies.
import { createInterface } from "node:readline";
import { startFakeOpenAIServer, type RequestBody } from "../test/support/fake-openai-server.js";

export const toolTurnsPerRun = 4;

function toolResultsIn(body: RequestBody): number {
  const messages: { role?: string; type?: string }[] = body.messages ?? body.input ?? [];
  return messages.filter((message) => message.role === "tool" || message.type === "function_call_output").length;
}

const answerOnly = process.argv[2] === "answer";
const toolTurns = Number(/^tool-turns=(\d+)$/.exec(process.argv[2] ?? "")?.[1] ?? toolTurnsPerRun);

let keeping = true;
const server = await startFakeOpenAIServer((body) => {
  if (!keeping) server.requests.length = 0;
  return !answerOnly && toolResultsIn(body) < toolTurns
    ? { toolCalls: [{ name: "echo", arguments: '{"text":"hello"}' }], usage: { inputTokens: 50, outputTokens: 10 } }
    : { text: "done", usage: { inputTokens: 60, outputTokens: 2 } };
});
process.stdout.write(`${server.baseURL}\n`);
let reported = 0;
createInterface({ input: process.stdin }).on("line", (line) => {
  if (line === "forget") {
    keeping = false;
    server.requests.length = 0;
    return;
  }
  const requests = server.requests
    .slice(reported)
    .map((request) => ({ url: `${server.baseURL}${request.path.replace(/^\/v1/, "")}`, body: JSON.stringify(request.body) }));
  reported = server.requests.length;
  process.stdout.write(`${JSON.stringify(requests)}\n`);
});
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
