// The one scenario every cell of the client matrix plays: a client framework with its own
// function tool (`lookup_code`) uses Ponder as its model; the fake model behind Ponder makes
// Ponder compute with Python first, then calls the client's tool, then answers with both
// results. The answer is right only if Ponder ran the code in its sandbox, handed the client's
// call back instead of running it, and fed the client's output to the model.
import assert from "node:assert/strict";
import { toolResults } from "../../support/conversation.js";
import type { FakeTurn, RequestBody } from "../../support/fake-openai-server.js";
import { startServerFixture, type ServerFixture } from "../server-fixture.js";

export const question = "What is the secret code of ada, and the sum of the squares of 1 to 24?";
export const answer = "The code is code-ada-7 and the sum is 4900.";
export const toolName = "lookup_code";
export const toolDescription = "The secret code of a person, by name.";
export const toolParameters = {
  type: "object",
  properties: { name: { type: "string", description: "The person's name." } },
  required: ["name"],
  additionalProperties: false,
} as const;

/** The client's tool: records each call, so a cell can check it ran exactly once. */
export function lookupCode(calls: string[]) {
  return (name: string): string => {
    calls.push(name);
    return `code-${name}-7`;
  };
}

/** The fake model behind Ponder. */
export function model(body: RequestBody): FakeTurn {
  const results = toolResults(body).join("\n");
  const offered = ((body.tools ?? []) as { name?: string; function?: { name?: string } }[]).map((tool) => tool.name ?? tool.function?.name);
  if (!offered.includes(toolName) && !results.includes("code-ada-7")) return { text: "I have no way to look codes up." };
  if (!results.includes("4900"))
    return {
      text: "Let me compute.",
      toolCalls: [{ name: "python", arguments: JSON.stringify({ code: "print(sum(k * k for k in range(1, 25)))" }) }],
    };
  if (!results.includes("code-ada-7")) return { toolCalls: [{ name: toolName, arguments: JSON.stringify({ name: "ada" }) }] };
  return { text: answer };
}

export function matrixServer(): Promise<ServerFixture> {
  return startServerFixture(model);
}

/** What every cell checks: the right answer, the client's tool run once, and only the client's tools seen as its own. */
export function assertCell(result: { answer: string; calls: string[]; toolCallNames: string[] }): void {
  assert.equal(result.answer, answer);
  assert.deepEqual(result.calls, ["ada"], "the client's own tool ran exactly once");
  assert.deepEqual([...new Set(result.toolCallNames)], [toolName], "the client saw only its own tool's calls");
}
