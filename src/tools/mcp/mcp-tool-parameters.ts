// An MCP tool's JSON Schema input as a Ponder `parameters` zod schema. Two jobs, two schemas:
// - what the model sees must be the server's own schema: the zod schema carries it as metadata,
//   whose top-level keys replace what `z.toJSONSchema` would write, so every property, description
//   and `$defs` reach the model as the server wrote them;
// - what Ponder checks before calling is `z.fromJSONSchema` of that schema, so a wrong type or a
//   missing field comes back to the model at once with zod's clear message. String `format`s are
//   left out of the check: zod reads them more strictly than many servers mean them (a relative
//   `uri-reference`, a `date-time` without a time zone), and a call the server would accept must
//   never be refused here. Where zod cannot convert a schema (if/then/else, an external `$ref`,
//   a pattern JavaScript cannot compile), any object passes and the server validates alone.
import { z } from "zod";

type JsonObject = Record<string, unknown>;

// Keywords whose values are schemas, maps of schemas or lists of schemas: the places `format`
// can hide. A property *named* "format" lives inside `properties`, so it is never removed.
const schemaMapKeywords = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
const schemaListKeywords = ["anyOf", "oneOf", "allOf", "prefixItems"];
const schemaKeywords = [
  "items",
  "additionalItems",
  "additionalProperties",
  "not",
  "contains",
  "propertyNames",
  "if",
  "then",
  "else",
  "unevaluatedItems",
  "unevaluatedProperties",
];

export function mcpToolParameters(inputSchema: JsonObject): z.ZodType<Record<string, unknown>> {
  return validationSchemaOf(inputSchema).meta(displaySchemaOf(inputSchema));
}

function validationSchemaOf(inputSchema: JsonObject): z.ZodType<Record<string, unknown>> {
  const checked = withoutFormats(inputSchema) as JsonObject;
  // A draft-07 schema without `$schema` keeps its shared parts in `definitions`.
  const draft7 = checked.$defs === undefined && checked.definitions !== undefined;
  try {
    const converted = z.fromJSONSchema({ ...checked, type: "object" }, draft7 ? { defaultTarget: "draft-7" } : undefined);
    return converted as z.ZodType<Record<string, unknown>>;
  } catch {
    return z.looseObject({});
  }
}

/**
 * The server's schema as the model sees it. `$schema` is dropped (the loop writes none), and
 * `$id`/`id` too: zod's metadata registry treats `id` as a global name that must be unique.
 */
function displaySchemaOf(inputSchema: JsonObject): JsonObject {
  const { $schema: _schema, $id: _dollarId, id: _id, ...rest } = inputSchema;
  return { ...rest, type: "object", properties: isObject(rest.properties) ? rest.properties : {} };
}

function withoutFormats(schema: unknown): unknown {
  if (!isObject(schema)) return schema;
  const copy: JsonObject = { ...schema };
  if (typeof copy.format === "string") delete copy.format;
  for (const keyword of schemaMapKeywords) {
    const value = copy[keyword];
    if (isObject(value)) copy[keyword] = Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withoutFormats(inner)]));
  }
  for (const keyword of [...schemaListKeywords, ...schemaKeywords]) {
    const value = copy[keyword];
    if (Array.isArray(value)) copy[keyword] = value.map(withoutFormats);
    else if (isObject(value)) copy[keyword] = withoutFormats(value);
  }
  return copy;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
