// @openai/agents with Ponder as its model: an Agent with its own function tool, through the
// Responses model and the Chat Completions model, run and streamed.
import { test } from "node:test";
import { Agent, OpenAIChatCompletionsModel, OpenAIResponsesModel, run, setTracingDisabled, tool, type Model } from "@openai/agents";
import OpenAI from "openai";
import { z } from "zod";
import { assertCell, lookupCode, matrixServer, question, toolDescription, toolName } from "./scenario.js";

// Traces would go to OpenAI's servers; this machine talks only to Ponder.
setTracingDisabled(true);

type AgentsClient = ConstructorParameters<typeof OpenAIResponsesModel>[0];

async function cell(makeModel: (client: AgentsClient) => Model, stream: boolean): Promise<void> {
  const fixture = await matrixServer();
  try {
    const client = new OpenAI({ baseURL: `${fixture.server.url}/v1`, apiKey: "no-key", maxRetries: 0 }) as unknown as AgentsClient;
    const calls: string[] = [];
    const lookup = lookupCode(calls);
    const agent = new Agent({
      name: "Assistant",
      instructions: "Answer briefly.",
      model: makeModel(client),
      tools: [
        tool({
          name: toolName,
          description: toolDescription,
          parameters: z.object({ name: z.string() }),
          execute: ({ name }) => lookup(name),
        }),
      ],
    });
    const result = stream ? await run(agent, question, { stream: true }) : await run(agent, question);
    if ("completed" in result) await result.completed;
    // Ponder's Python shows as a hosted tool call, which the agent leaves alone; function calls are the agent's to run.
    const toolCallNames = result.newItems.flatMap((item) =>
      item.type === "tool_call_item" && item.rawItem.type === "function_call" ? [item.rawItem.name] : [],
    );
    assertCell({ answer: String(result.finalOutput), calls, toolCallNames });
  } finally {
    await fixture.close();
  }
}

test("@openai/agents, Responses model: the agent's tool runs once while Ponder uses Python", () =>
  cell((client) => new OpenAIResponsesModel(client, "ponder"), false));

test("@openai/agents, Responses model, streamed", () => cell((client) => new OpenAIResponsesModel(client, "ponder"), true));

test("@openai/agents, Chat Completions model", () => cell((client) => new OpenAIChatCompletionsModel(client, "ponder"), false));

test("@openai/agents, Chat Completions model, streamed", () => cell((client) => new OpenAIChatCompletionsModel(client, "ponder"), true));
