import { sendJson } from "../http-response.js";
import { publicModelName } from "../model-names.js";
import { modelListSchema } from "../response-body-schemas.js";
import type { RequestContext, Route } from "../router.js";

/** `GET /v1/models`: the models this server runs, as `ponder/<provider:model>`. */
async function listModels({ response, state }: RequestContext): Promise<void> {
  const data = state.models.map((id) => ({ id: publicModelName(id), object: "model", created: 0, owned_by: "ponder" }));
  sendJson(response, 200, { object: "list", data });
}

export const modelRoutes: Route[] = [
  {
    method: "GET",
    path: "/v1/models",
    handle: listModels,
    doc: {
      summary: "The models this server runs, as ponder/<provider:model>",
      responses: { 200: { description: "The models", json: modelListSchema } },
    },
  },
];
