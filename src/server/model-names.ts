import { badRequest, notFound } from "./http-error.js";
import type { ServerState } from "./server-state.js";

/** Clients see Ponder's models as `ponder/<provider:model>`, so they are told apart from the raw models. */
export const modelPrefix = "ponder/";

export function publicModelName(modelId: string): string {
  return `${modelPrefix}${modelId}`;
}

/**
 * The Ponder model id a request names: `ponder/<provider:model>`, a bare `provider:model`, or
 * `ponder` (and `ponder/default`) for the server's default model.
 */
export function modelOfRequest(name: string, state: ServerState): string {
  const bare = name.startsWith(modelPrefix) ? name.slice(modelPrefix.length) : name;
  if (bare === "ponder" || bare === "default" || bare === "") {
    if (!state.defaultModel)
      throw badRequest("This server has no default model; name one as ponder/<provider:model>.", "model", "model_not_configured");
    return state.defaultModel;
  }
  const colon = bare.indexOf(":");
  if (colon <= 0 || colon === bare.length - 1) {
    throw notFound(
      `The model ${name} does not exist: Ponder's models are named ponder/<provider:model>, e.g. ${publicModelName(state.defaultModel ?? "openai:gpt-5-mini")}.`,
      "model_not_found",
    );
  }
  return bare;
}
