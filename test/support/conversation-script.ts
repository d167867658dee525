// A fake model for conversations whose follow-up answer depends on what only the first turn
// produced: a random token that real Python printed (a tool output) and wrote, reversed, into
// the workspace. It answers the follow-up right only if the request really carried turn 1's items
// and the follow-up's Python really found turn 1's file.
import type { FakeTurn, RequestBody } from "./fake-openai-server.js";
import { toolResults, userTexts } from "./conversation.js";

export const firstQuestion = "Pick a secret token.";
export const followUpQuestion = "What was the token, and what is in note.txt?";
export const firstAnswer = "I picked a token and wrote note.txt.";

const pickToken = "import secrets\ntoken = secrets.token_hex(4)\nopen('note.txt', 'w').write(token[::-1])\nprint('token', token)";
const readNote = "print('note', open('note.txt').read())";
const python = (code: string) => ({ name: "python", arguments: JSON.stringify({ code }) });

export function conversationScript(body: RequestBody): FakeTurn {
  const results = toolResults(body).join("\n");
  if (!userTexts(body).some((text) => text.includes(followUpQuestion)))
    return results === "" ? { toolCalls: [python(pickToken)] } : { text: firstAnswer };
  const token = /token ([0-9a-f]{8})/.exec(results)?.[1];
  if (!token) return { text: "I have no memory of a token." };
  if (/FileNotFoundError/.test(results)) return { text: "note.txt is missing." };
  const note = /note ([0-9a-f]{8})/.exec(results)?.[1];
  if (!note) return { toolCalls: [python(readNote)] };
  return {
    text:
      note === [...token].reverse().join("")
        ? `The token was ${token}; note.txt holds it reversed.`
        : `note.txt does not match the token: ${note}.`,
  };
}

/** The answer a follow-up that saw everything gives. */
export const rememberedAnswer = /^The token was [0-9a-f]{8}; note\.txt holds it reversed\.$/;
