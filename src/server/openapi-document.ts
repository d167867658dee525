import { readFileSync } from "node:fs";
import { z } from "zod";
import { errorBodySchema } from "./response-body-schemas.js";
import type { Route } from "./router.js";

/**
 * The OpenAPI 3.1 document of `ponder serve`, made from the routes themselves: each request
 * schema is the zod schema its handler validates with (as what it accepts: `io: "input"`), each
 * answer the schema of what it sends. OpenAPI 3.1 schemas are JSON Schema 2020-12, which is what
 * zod writes.
 */
export function openApiDocument(routes: Route[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, "{$1}");
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Ponder",
      version: packageVersion(),
      description: "OpenAI-compatible endpoints and Ponder's runs API (docs/server.md). Every error is OpenAI's error body.",
    },
    paths,
    components: {
      schemas: { Error: jsonSchema(errorBodySchema, "output") },
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "Needed once any key exists (`ponder keys create`)." } },
    },
    security: [{ apiKey: [] }],
  };
}

function operation(route: Route): Record<string, unknown> {
  const { doc } = route;
  const pathParameters = [...route.path.matchAll(/:(\w+)/g)].map((match) => ({
    name: match[1],
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  const queryParameters = Object.entries(doc.query?.shape ?? {}).map(([name, schema]) => ({
    name,
    in: "query",
    required: !schema.safeParse(undefined).success,
    schema: jsonSchema(schema, "input"),
  }));
  const responses: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(doc.responses)) {
    const content: Record<string, unknown> = {};
    if (answer.json) content["application/json"] = { schema: jsonSchema(answer.json, "output") };
    if (answer.eventStream) content["text/event-stream"] = { schema: eventSchema(answer.eventStream.json) };
    if (answer.anyFile) content["*/*"] = { schema: { type: "string", contentMediaType: "application/octet-stream" } };
    responses[status] = { description: answer.description, content };
  }
  responses.default = {
    description: "An error, in OpenAI's shape",
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
  };
  return {
    summary: doc.summary,
    ...(pathParameters.length + queryParameters.length > 0 ? { parameters: [...pathParameters, ...queryParameters] } : {}),
    ...(doc.body
      ? {
          requestBody: {
            required: !doc.body.safeParse({}).success,
            content: { "application/json": { schema: jsonSchema(doc.body, "input") } },
          },
        }
      : {}),
    responses,
  };
}

/** One server-sent event, as OpenAPI 3.1 describes an event stream: its fields, `data` as text or JSON. */
function eventSchema(json: z.ZodType | undefined): Record<string, unknown> {
  const data = json
    ? { type: "string", contentMediaType: "application/json", contentSchema: jsonSchema(json, "output") }
    : { type: "string" };
  return { type: "object", properties: { event: { type: "string" }, id: { type: "string" }, data }, required: ["data"] };
}

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  // Each schema is embedded in the document, which names its dialect once for all of them.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" });
  return rest;
}

let version: string | undefined;

function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string }).version;
  return version;
}
