// Turning an MCP tool's definition into a Ponder tool: its name, its parameters schema, its effects.
import { test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { createMcpTool, effectsOf } from "../../../src/tools/mcp/mcp-tool.js";
import { repeatingIsSafe } from "../../../src/tools/tool.js";
import { ponderToolNames } from "../../../src/tools/mcp/mcp-tool-names.js";
import { mcpToolParameters } from "../../../src/tools/mcp/mcp-tool-parameters.js";

const shown = (schema: z.ZodType) => {
  const { $schema: _schema, ...rest } = z.toJSONSchema(schema, { io: "input" }) as Record<string, unknown>;
  return rest;
};

test("tool names: server__tool, made valid, cut to 64, never shared, stable whatever the order", () => {
  const tools = ["read_file", "search.web", "search_web", "name with spaces", "x".repeat(80), "ünïcode"];
  const names = ponderToolNames("github", tools);
  assert.equal(names.get("read_file"), "github__read_file");
  // The valid name keeps its plain form; the one that had to change gets a hash.
  assert.equal(names.get("search_web"), "github__search_web");
  assert.match(names.get("search.web") ?? "", /^github__search_web_[0-9a-f]{8}$/);
  assert.equal(names.get("name with spaces"), "github__name_with_spaces");
  assert.match(names.get("ünïcode") ?? "", /^github___n_code$/);
  for (const name of names.values()) assert.match(name, /^[a-zA-Z0-9_-]{1,64}$/);
  assert.equal(names.get("x".repeat(80))?.length, 64);
  assert.equal(new Set(names.values()).size, tools.length);
  assert.deepEqual(ponderToolNames("github", [...tools].reverse()), names);
});

test("effects from annotations: read-only reads, closed-world changes write, the rest is external", () => {
  assert.equal(effectsOf({ readOnlyHint: true, openWorldHint: false }), "read");
  assert.equal(effectsOf({ readOnlyHint: true }), "read");
  assert.equal(effectsOf({ readOnlyHint: true, openWorldHint: true }), "external");
  assert.equal(effectsOf({ readOnlyHint: false, destructiveHint: true, openWorldHint: false }), "write");
  assert.equal(effectsOf({ destructiveHint: true }), "external");
  assert.equal(effectsOf({}), "external");
  assert.equal(effectsOf(undefined), "external");
});

test("safe to repeat after a crash: read-only or idempotent tools, by the server's annotations; others are not", () => {
  const repeatable = (annotations?: Record<string, boolean>) =>
    repeatingIsSafe(
      createMcpTool({
        server: "s",
        name: "s__t",
        definition: { name: "t", inputSchema: { type: "object" }, ...(annotations ? { annotations } : {}) },
        call: async () => ({ content: "" }),
      }),
    );
  assert.equal(repeatable({ readOnlyHint: true }), true);
  assert.equal(repeatable({ readOnlyHint: true, openWorldHint: true }), true, "reading the open world twice changes nothing");
  assert.equal(repeatable({ readOnlyHint: false, idempotentHint: true, destructiveHint: true }), true);
  assert.equal(repeatable({ readOnlyHint: false, openWorldHint: false }), false);
  assert.equal(repeatable({ destructiveHint: false }), false);
  assert.equal(repeatable(), false, "a tool that says nothing is not repeated");
});

test("parameters: the model sees the server's schema as written", () => {
  const inputSchema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    properties: {
      query: { type: "string", title: "Query", description: "What to look for" },
      limit: { type: "integer", minimum: 1, default: 10 },
    },
    required: ["query"],
    additionalProperties: false,
  };
  const { $schema: _schema, ...expected } = inputSchema;
  assert.deepEqual(shown(mcpToolParameters(inputSchema)), expected);
  const parameters = mcpToolParameters(inputSchema);
  assert.ok(parameters.safeParse({ query: "mcp" }).success);
  assert.ok(!parameters.safeParse({ limit: 3 }).success, "missing required field");
  assert.ok(!parameters.safeParse({ query: "mcp", limit: 0 }).success, "below minimum");
  assert.ok(!parameters.safeParse({ query: "mcp", extra: true }).success, "additionalProperties: false");
});

test("parameters: string formats are shown but never refuse what a server would accept", () => {
  const inputSchema = {
    type: "object",
    properties: {
      when: { type: "string", format: "date-time" },
      link: { type: "string", format: "uri-reference" },
      // A property that happens to be named "format" stays a property.
      format: { type: "string", enum: ["csv", "json"] },
    },
    required: ["when", "format"],
  };
  const parameters = mcpToolParameters(inputSchema);
  assert.deepEqual((shown(parameters).properties as Record<string, unknown>).when, { type: "string", format: "date-time" });
  assert.ok(parameters.safeParse({ when: "2026-03-01T09:30:00", link: "../docs/a.md", format: "csv" }).success);
  assert.ok(!parameters.safeParse({ when: "2026-03-01T09:30:00", format: "xml" }).success);
  assert.ok(!parameters.safeParse({ when: "2026-03-01T09:30:00" }).success);
});

test("parameters: draft-07 definitions resolve; schemas zod cannot convert let any object through", () => {
  const withDefinitions = mcpToolParameters({
    type: "object",
    properties: { item: { $ref: "#/definitions/Item" } },
    required: ["item"],
    definitions: { Item: { type: "object", properties: { count: { type: "integer" } }, required: ["count"] } },
  });
  assert.ok(withDefinitions.safeParse({ item: { count: 2 } }).success);
  assert.ok(!withDefinitions.safeParse({ item: { count: "two" } }).success);

  const conditional = {
    type: "object",
    properties: { mode: { type: "string" } },
    if: { properties: { mode: { const: "a" } } },
    then: { required: ["mode"] },
  };
  const permissive = mcpToolParameters(conditional);
  assert.ok(permissive.safeParse({ anything: 1 }).success);
  assert.deepEqual(shown(permissive).if, conditional.if);
  assert.deepEqual(shown(permissive).properties, conditional.properties);
});
