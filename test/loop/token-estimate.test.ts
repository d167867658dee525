import { test } from "node:test";
import assert from "node:assert/strict";
import { fixedTokenEstimate, textTokens } from "../../src/loop/context/token-estimate.js";
import type { ToolDefinition } from "../../src/models/model-client.js";
import { toolDefinitions } from "../../src/loop/tool-definitions.js";
import { createFileTools } from "../../src/tools/files/index.js";
import { createImageTools } from "../../src/tools/image/image-tools.js";
import { updatePlanTool } from "../../src/tools/plan/update-plan-tool.js";
import { ToolRegistry } from "../../src/tools/registry.js";

const measured = (instructions: string, tools: ToolDefinition[]) =>
  textTokens(instructions) + (tools.length === 0 ? 0 : textTokens(JSON.stringify(tools)));

test("the fixed part of a request is estimated as its JSON's length, however often and whichever tools share a schema", () => {
  const shared = { type: "object", properties: { text: { type: "string", description: "Any text … even non-Latin-1" } } };
  const echo: ToolDefinition = { name: "echo", description: "Says it back.", inputSchema: shared };
  const sameSchema: ToolDefinition = { name: "shout", description: "Says it back, louder: a longer description.", inputSchema: shared };
  const strict: ToolDefinition = { ...echo, strict: true };
  const other: ToolDefinition = {
    name: "add",
    description: "Adds.",
    inputSchema: { type: "object", properties: { a: { type: "number" } } },
  };
  const cases: ToolDefinition[][] = [[], [echo], [echo, other], [sameSchema, other], [echo], [strict], [echo, sameSchema, strict, other]];
  for (const tools of [...cases, ...cases])
    assert.equal(fixedTokenEstimate("You are Ponder.", tools), measured("You are Ponder.", tools), tools.map((tool) => tool.name).join());
});

test("built-in tools' definitions, made afresh for each turn, are estimated as their JSON", () => {
  const registry = new ToolRegistry([...createFileTools(), ...createImageTools(), updatePlanTool]);
  const first = toolDefinitions(registry);
  assert.ok(first.length > 5, "the built-in tools are there");
  for (const tools of [first, toolDefinitions(registry), toolDefinitions(registry).slice(2)])
    assert.equal(fixedTokenEstimate("", tools), measured("", tools));
});
