import { notFound } from "../http-error.js";
import { sendJson } from "../http-response.js";
import { modelPrefix, publicModelName } from "../model-names.js";
import { modelListSchema, modelSchema } from "../response-body-schemas.js";
import type { RequestContext, Route } from "../router.js";
import type { ServerState } from "../server-state.js";

function modelObject(id: string) {
  return { id, object: "model", created: 0, owned_by: "ponder" };
}

/** `GET /v1/models`: the models this server runs, as `ponder/<provider:model>`. */
async function listModels({ response, state }: RequestContext): Promise<void> {
  sendJson(response, 200, { object: "list", data: state.models.map((id) => modelObject(publicModelName(id))) });
}

/**
 * `GET /v1/models/{id}`: one of the listed models, or `ponder` (the default model); the id is sent
 * URL-encoded (`ponder%2Fopenai%3Agpt-5-mini`), as the OpenAI clients send it.
 */
async function retrieveModel({ response, state, params }: RequestContext): Promise<void> {
  const id = params.id as string;
  if (!knownModel(state, id))
    throw notFound(`The model ${id} does not exist on this server; GET /v1/models lists the ones it runs.`, "model_not_found");
  sendJson(response, 200, modelObject(id));
}

function knownModel(state: ServerState, id: string): boolean {
  if (id === "ponder" || id === `${modelPrefix}default`) return state.defaultModel !== undefined;
  return state.models.some((model) => publicModelName(model) === id);
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
  {
    method: "GET",
    path: "/v1/models/:id",
    handle: retrieveModel,
    doc: {
      summary: "One model this server runs (its id URL-encoded)",
      responses: { 200: { description: "The model", json: modelSchema } },
    },
  },
];
