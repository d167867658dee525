import type { RunRecord } from "../core/run.js";
import { badRequest, type HttpError } from "./http-error.js";

// The hint the model layer gives a provider's context-length refusal (models/model-call-errors.ts).
const overflowHint = /longer than the model's context window/;

/**
 * A run that failed because its conversation no longer fits the model's context: the client's
 * request is what must change, so it is a 400 saying how (until long runs compact the context).
 */
export function contextOverflowError(record: RunRecord | undefined, param: string): HttpError | undefined {
  const error = record?.status === "failed" ? record.error : undefined;
  if (!error || !overflowHint.test(error.message)) return undefined;
  return badRequest(
    `The conversation no longer fits the model's context window (${error.message.split(". The conversation")[0]}). ` +
      "Start a new conversation (no previous_response_id, or fewer earlier messages), shorten the input, or use a model with a larger context.",
    param,
    "context_length_exceeded",
  );
}
