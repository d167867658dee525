// The AI SDK with Ponder as its model: `@ai-sdk/openai` (responses and chat) and
// `@ai-sdk/open-responses`, generateText and streamText, with a tool of the client's own.
import { test } from "node:test";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenResponses } from "@ai-sdk/open-responses";
import { generateText, stepCountIs, streamText, tool, type LanguageModel } from "ai";
import { z } from "zod";
import { assertCell, lookupCode, matrixServer, question, toolDescription, toolName } from "./scenario.js";

type Provider = "responses" | "chat" | "open-responses";

/** The calls the AI SDK runs itself: Ponder's Python reaches it as a provider-executed `code_interpreter` call, which it leaves alone. */
function clientCallNames(step: { toolCalls: { toolName: string; providerExecuted?: boolean }[] }): string[] {
  return step.toolCalls.filter((call) => call.providerExecuted !== true).map((call) => call.toolName);
}

async function cell(provider: Provider, stream: boolean): Promise<void> {
  const fixture = await matrixServer();
  try {
    const baseURL = `${fixture.server.url}/v1`;
    const openai = createOpenAI({ baseURL, apiKey: "no-key" });
    const model: LanguageModel =
      provider === "responses"
        ? openai.responses("ponder")
        : provider === "chat"
          ? openai.chat("ponder")
          : createOpenResponses({ url: `${baseURL}/responses`, name: "ponder", apiKey: "no-key" })("ponder");
    const calls: string[] = [];
    const lookup = lookupCode(calls);
    const settings = {
      model,
      prompt: question,
      tools: {
        [toolName]: tool({
          description: toolDescription,
          inputSchema: z.object({ name: z.string() }),
          execute: async ({ name }) => lookup(name),
        }),
      },
      stopWhen: stepCountIs(5),
      maxRetries: 0,
    };
    if (stream) {
      const result = streamText(settings);
      let text = "";
      for await (const part of result.fullStream) {
        if (part.type === "error") throw part.error;
        if (part.type === "text-delta") text += part.text;
      }
      const steps = await result.steps;
      assertCell({
        answer: (await result.text) || text,
        calls,
        toolCallNames: steps.flatMap(clientCallNames),
      });
    } else {
      const result = await generateText(settings);
      assertCell({ answer: result.text, calls, toolCallNames: result.steps.flatMap(clientCallNames) });
    }
  } finally {
    await fixture.close();
  }
}

test("AI SDK openai.responses, generateText with a client tool", () => cell("responses", false));
// The AI SDK sends the streamed items back as item_reference: the stream names them by their stored ids.
test("AI SDK openai.responses, streamText with a client tool", () => cell("responses", true));
test("AI SDK openai.chat, generateText with a client tool", () => cell("chat", false));
test("AI SDK openai.chat, streamText with a client tool", () => cell("chat", true));
test("AI SDK @ai-sdk/open-responses, generateText with a client tool", () => cell("open-responses", false));
test("AI SDK @ai-sdk/open-responses, streamText with a client tool", () => cell("open-responses", true));
