// The first-token benchmark's model server, in its own process: every request gets the answer
// its first user message asks for ("long" or "short"), streamed in word pieces a few
// milliseconds apart, as a model writes. Prints its base URL on stdout.
import { startFakeOpenAIServer } from "../test/support/fake-openai-server.js";

const longAnswer =
  "The sum of the squares of the numbers from one to twenty-four is 4900, which is also seventy squared: " +
  "a coincidence that Lucas asked about in 1875 and that Watson proved, in 1918, is the only one of its kind beyond one.";
const shortAnswer = "It is 4900.";
const pieceDelayMs = 4;

const server = await startFakeOpenAIServer((body) => ({
  text: JSON.stringify(body).includes("short please") ? shortAnswer : longAnswer,
  eventDelayMs: pieceDelayMs,
  usage: { inputTokens: 50, outputTokens: 40 },
}));
process.stdout.write(`${server.baseURL}\n`);
