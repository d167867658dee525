import { z } from "zod";
import { badRequest } from "./http-error.js";
import { ponderItemsInclude } from "./response-object.js";

/**
 * `include` values a response request may send. `ponder.items` adds Ponder's own items (notes,
 * artifacts, sources, approvals) to `output`. OpenAI's values are accepted where Ponder already
 * gives what they ask for (code interpreter outputs, search sources) or has nothing of the kind
 * (file search, computer use, encrypted reasoning: Ponder keeps reasoning on the server, and a
 * follow-up continues with previous_response_id). Token logprobs are refused: no provider path
 * gives them through a run.
 */
const acceptedIncludes = new Set([
  ponderItemsInclude,
  "code_interpreter_call.outputs",
  "web_search_call.action.sources",
  "web_search_call.results",
  "reasoning.encrypted_content",
  "file_search_call.results",
  "computer_call_output.output.image_url",
  "message.input_image.image_url",
]);

export const includeSchema = z.array(z.string()).nullish();

/** Whether the request asked for Ponder's own items; a value Ponder cannot honour is a 400 naming it. */
export function includesPonderItems(values: readonly string[] | null | undefined): boolean {
  for (const value of values ?? []) {
    if (!acceptedIncludes.has(value))
      throw badRequest(
        `include value ${JSON.stringify(value)} is not supported by this server; supported: ${[...acceptedIncludes].join(", ")}.`,
        "include",
        "unsupported_parameter",
      );
  }
  return (values ?? []).includes(ponderItemsInclude);
}

/** The `include` of a GET request: `include=a&include=b` or `include[]=a`. */
export function queryIncludes(url: URL): string[] {
  return [...url.searchParams.getAll("include"), ...url.searchParams.getAll("include[]")];
}
