import { PonderError } from "../core/errors.js";

/** OpenAI's error types, plus the few this server needs; clients switch on `type` and `code`. */
export type ErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "conflict_error"
  | "upstream_error"
  | "server_error";

/** An error that becomes an HTTP response with OpenAI's error body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: ErrorType,
    /** `headers`: sent with the error, e.g. a 405's `Allow`. */
    readonly details: { param?: string; code?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

export function notFound(message: string, code = "not_found"): HttpError {
  return new HttpError(404, message, "not_found_error", { code });
}

export function badRequest(message: string, param?: string, code = "invalid_value"): HttpError {
  return new HttpError(400, message, "invalid_request_error", { code, ...(param ? { param } : {}) });
}

export function conflict(message: string, code = "invalid_run_state"): HttpError {
  return new HttpError(409, message, "conflict_error", { code });
}

/** The body OpenAI clients parse: `{ error: { message, type, param, code } }`. */
export function errorBody(error: HttpError) {
  return { error: { message: error.message, type: error.type, param: error.details.param ?? null, code: error.details.code ?? null } };
}

/**
 * Ponder's typed errors as HTTP errors: what the caller asked for was wrong (4xx) or a model
 * provider failed (502). Anything else is a bug of ours and stays a 500.
 */
export function httpErrorOf(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof PonderError) {
    const message = error.hint ? `${error.message} ${error.hint}` : error.message;
    switch (error.code) {
      case "config_error":
      case "model_not_configured":
        return badRequest(message, "model", error.code);
      case "run_not_found":
        return notFound(message, error.code);
      case "invalid_run_state":
      case "conversation_busy":
        return conflict(message, error.code);
      case "model_call_failed":
        return new HttpError(502, message, "upstream_error", { code: error.code });
    }
  }
  return new HttpError(500, "The server failed to handle the request.", "server_error", { code: "internal_error" });
}
