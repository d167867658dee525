import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import { HttpError, notFound } from "./http-error.js";
import type { Caller, ServerState } from "./server-state.js";

export type RequestContext = {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  params: Record<string, string>;
  caller: Caller;
  state: ServerState;
};

export type Route = {
  method: "GET" | "POST" | "DELETE";
  /** Segments starting with `:` capture one path segment: `/v1/runs/:id`. */
  path: string;
  handle: (context: RequestContext) => Promise<void>;
  /** What GET /openapi.json says of the endpoint. */
  doc: RouteDoc;
};

/**
 * An endpoint as the OpenAPI document describes it (openapi-document.ts), from the same zod
 * schemas the handler validates with. Errors need no entry: every endpoint may answer one.
 */
export type RouteDoc = {
  summary: string;
  /** The JSON body; optional in the document when the schema accepts `{}`. */
  body?: z.ZodType;
  /** Query parameters, one per field. */
  query?: z.ZodObject;
  /** Successful answers by status code. */
  responses: Record<number, RouteAnswer>;
};

/**
 * A successful answer: a JSON body, server-sent events (with `json`, each event's data is that
 * JSON), or a file of any type.
 */
export type RouteAnswer = { description: string; json?: z.ZodType; eventStream?: { json?: z.ZodType }; anyFile?: boolean };

export type RouteMatch = { route: Route; params: Record<string, string> };

/**
 * The route for a request; an unknown path is a 404, a known path with another method a 405 with
 * the `Allow` header HTTP requires, naming the methods the path takes.
 */
export function matchRoute(routes: Route[], method: string, pathname: string): RouteMatch {
  const segments = pathname.split("/").filter((segment) => segment !== "");
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPath(route.path, segments);
    if (!params) continue;
    allowed.push(route.method);
    if (route.method === method) return { route, params };
  }
  if (allowed.length > 0) {
    throw new HttpError(405, `${method} is not allowed on ${pathname}.`, "invalid_request_error", {
      code: "method_not_allowed",
      headers: { allow: allowed.join(", ") },
    });
  }
  throw notFound(`No route ${method} ${pathname}.`, "unknown_route");
}

// Each pattern split once, not once per request for every route before the match.
const splitPatterns = new Map<string, string[]>();

function patternParts(pattern: string): string[] {
  let parts = splitPatterns.get(pattern);
  if (parts === undefined) {
    parts = pattern.split("/").filter((part) => part !== "");
    splitPatterns.set(pattern, parts);
  }
  return parts;
}

function matchPath(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = patternParts(pattern);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of parts.entries()) {
    const segment = segments[index] as string;
    if (part.startsWith(":")) {
      let value: string;
      try {
        value = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
      params[part.slice(1)] = value;
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}
