// A fake model for conversations whose follow-up answer depends on a Python variable that only
// the first turn's code defined (a random token): the follow-up reads the variable without
// defining it, so it is answered right only if the first turn's kernel was kept.
import type { FakeTurn, RequestBody } from "./fake-openai-server.js";
import { toolResults, userTexts } from "./conversation.js";

export const defineQuestion = "Keep a secret in a Python variable.";
export const recallQuestion = "What does the secret variable hold now?";
export const keptAnswer = /^The variable still holds [0-9a-f]{8}\.$/;
export const forgottenAnswer = "The kernel forgot the secret.";

const define = "import secrets\nsecret = secrets.token_hex(4)\nprint('secret', secret)";
const recall = "print('still', secret)";
const python = (code: string) => ({ name: "python", arguments: JSON.stringify({ code }) });

export function kernelMemoryScript(body: RequestBody): FakeTurn {
  const results = toolResults(body).join("\n");
  if (!userTexts(body).some((text) => text.includes(recallQuestion)))
    return results === "" ? { toolCalls: [python(define)] } : { text: "I keep a secret." };
  const secret = /secret ([0-9a-f]{8})/.exec(results)?.[1];
  if (!secret) return { text: "I never saw the secret." };
  if (/NameError/.test(results)) return { text: forgottenAnswer };
  const still = /still ([0-9a-f]{8})/.exec(results)?.[1];
  if (!still) return { toolCalls: [python(recall)] };
  return { text: still === secret ? `The variable still holds ${secret}.` : `The variable changed: ${still}.` };
}
