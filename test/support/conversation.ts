import type { RequestBody } from "./fake-openai-server.js";

/** Tool results already in a request (Responses `input` or Chat Completions `messages`), in order. */
export function toolResults(body: RequestBody): string[] {
  const entries: Record<string, unknown>[] = body.input ?? body.messages ?? [];
  return entries
    .filter((entry) => entry.type === "function_call_output" || entry.role === "tool")
    .map((entry) => {
      const output = entry.output ?? entry.content;
      return typeof output === "string" ? output : JSON.stringify(output);
    });
}

/** Every user text in a model request (Responses `input` or Chat Completions `messages`). */
export function userTexts(body: RequestBody): string[] {
  const entries: Record<string, unknown>[] = body.input ?? body.messages ?? [];
  return entries
    .filter((entry) => entry.role === "user")
    .flatMap((entry) =>
      typeof entry.content === "string" ? [entry.content] : (entry.content as { text?: string }[]).map((part) => part.text ?? ""),
    );
}
