// The official `openai` client, driving the tool loop by hand as an agent framework does.
import { test } from "node:test";
import type OpenAI from "openai";
import { assertCell, lookupCode, matrixServer, question, toolDescription, toolName, toolParameters } from "./scenario.js";

test("openai responses.create: function_call out, function_call_output back with previous_response_id", async () => {
  const fixture = await matrixServer();
  try {
    const client = fixture.client();
    const calls: string[] = [];
    const run = lookupCode(calls);
    const tools: OpenAI.Responses.Tool[] = [
      { type: "function", name: toolName, description: toolDescription, parameters: toolParameters, strict: true },
    ];
    const toolCallNames: string[] = [];
    let response = await client.responses.create({ model: "ponder", input: question, tools });
    for (let step = 0; step < 5; step++) {
      const functionCalls = response.output.filter((item) => item.type === "function_call");
      if (functionCalls.length === 0) break;
      toolCallNames.push(...functionCalls.map((call) => call.name));
      response = await client.responses.create({
        model: "ponder",
        previous_response_id: response.id,
        tools,
        input: functionCalls.map((call) => ({
          type: "function_call_output" as const,
          call_id: call.call_id,
          output: run((JSON.parse(call.arguments) as { name: string }).name),
        })),
      });
    }
    assertCell({ answer: response.output_text, calls, toolCallNames });
  } finally {
    await fixture.close();
  }
});

test("openai chat.completions.create, streamed: tool_calls with finish_reason tool_calls, tool messages back", async () => {
  const fixture = await matrixServer();
  try {
    const client = fixture.client();
    const calls: string[] = [];
    const run = lookupCode(calls);
    const tools: OpenAI.Chat.ChatCompletionTool[] = [
      { type: "function", function: { name: toolName, description: toolDescription, parameters: toolParameters } },
    ];
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: "user", content: question }];
    const toolCallNames: string[] = [];
    let answer = "";
    for (let step = 0; step < 5; step++) {
      const stream = client.chat.completions.stream({ model: "ponder", messages, tools });
      const completion = await stream.finalChatCompletion();
      const message = completion.choices[0]?.message;
      const toolCalls = message?.tool_calls ?? [];
      if (toolCalls.length === 0) {
        answer = message?.content ?? "";
        break;
      }
      messages.push({ role: "assistant", content: message?.content ?? null, tool_calls: toolCalls });
      for (const call of toolCalls) {
        if (call.type !== "function") continue;
        toolCallNames.push(call.function.name);
        messages.push({
          role: "tool",
          tool_call_id: call.id,
          content: run((JSON.parse(call.function.arguments) as { name: string }).name),
        });
      }
    }
    assertCell({ answer, calls, toolCallNames });
  } finally {
    await fixture.close();
  }
});
