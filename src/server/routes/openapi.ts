import { openApiDocument } from "../openapi-document.js";
import { sendJson } from "../http-response.js";
import { openApiDocumentSchema } from "../response-body-schemas.js";
import type { Route } from "../router.js";

/** `GET /openapi.json`: the OpenAPI document of every route, itself included; made once. */
export function openApiRoute(allRoutes: () => Route[]): Route {
  let document: Record<string, unknown> | undefined;
  return {
    method: "GET",
    path: "/openapi.json",
    handle: async ({ response }) => {
      document ??= openApiDocument(allRoutes());
      sendJson(response, 200, document);
    },
    doc: {
      summary: "This document: the server's endpoints as OpenAPI 3.1",
      responses: { 200: { description: "The OpenAPI document", json: openApiDocumentSchema } },
    },
  };
}
