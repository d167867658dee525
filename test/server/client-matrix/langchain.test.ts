// LangChain's ChatOpenAI with Ponder as its model, both APIs, with a tool bound by `bindTools`
// and the tool loop driven as a LangGraph agent drives it.
import { test } from "node:test";
import { ChatOpenAI } from "@langchain/openai";
import type { AIMessage } from "@langchain/core/messages";
import { HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { assertCell, lookupCode, matrixServer, question, toolDescription, toolName, toolParameters } from "./scenario.js";

async function cell(useResponsesApi: boolean): Promise<void> {
  const fixture = await matrixServer();
  try {
    const chat = new ChatOpenAI({
      model: "ponder",
      apiKey: "no-key",
      useResponsesApi,
      maxRetries: 0,
      configuration: { baseURL: `${fixture.server.url}/v1` },
    });
    const model = chat.bindTools([
      { type: "function", function: { name: toolName, description: toolDescription, parameters: toolParameters } },
    ]);
    const calls: string[] = [];
    const lookup = lookupCode(calls);
    const messages: BaseMessage[] = [new HumanMessage(question)];
    const toolCallNames: string[] = [];
    let reply: AIMessage | undefined;
    for (let step = 0; step < 5; step++) {
      reply = await model.invoke(messages);
      messages.push(reply);
      const toolCalls = reply.tool_calls ?? [];
      if (toolCalls.length === 0) break;
      for (const call of toolCalls) {
        toolCallNames.push(call.name);
        messages.push(new ToolMessage({ tool_call_id: call.id ?? "", content: lookup(String(call.args.name)) }));
      }
    }
    assertCell({ answer: reply?.text ?? "", calls, toolCallNames });
  } finally {
    await fixture.close();
  }
}

test("LangChain ChatOpenAI (Chat Completions), bindTools", () => cell(false));
test("LangChain ChatOpenAI with useResponsesApi, bindTools", () => cell(true));
