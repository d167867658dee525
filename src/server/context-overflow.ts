import type { RunRecord } from "../core/run.js";
import { badRequest, type HttpError } from "./http-error.js";

// The hint the model layer gives a provider's context-length refusal (models/model-call-errors.ts).
const overflowHint = /longer than the model's context window/;

/**
 * A run that failed because its conversation no longer fits the model's context: the client's
 * request is what must change, so it is a 400 saying how. Long runs compact their context, so this
 * is a request whose own messages do not fit, or a provider whose window is smaller than Ponder assumed.
 */
export function contextOverflowError(record: RunRecord | undefined, param: string): HttpError | undefined {
  const error = record?.status === "failed" ? record.error : undefined;
  // Ponder's own check before any model call (loop/context/): the sizes are in its message.
  if (error?.code === "context_window_too_small") return badRequest(error.message, param, "context_length_exceeded");
  if (!error || !overflowHint.test(error.message)) return undefined;
  return badRequest(
    `The conversation no longer fits the model's context window (${error.message.split(". The conversation")[0]}). ` +
      "Start a new conversation (no previous_response_id, or fewer earlier messages), shorten the input, or use a model with a larger context.",
    param,
    "context_length_exceeded",
  );
}
