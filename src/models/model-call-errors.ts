// Turns whatever a provider call threw (or put in its stream) into one ModelCallError with a
// status, whether retrying could help, how long the provider asked us to wait, and a message
// that says what went wrong where. Which statuses are retryable comes from retry.ts.

import { APICallError, JSONParseError, TypeValidationError } from "@ai-sdk/provider";
import { ModelCallError, errorMessage } from "../core/errors.js";
import { isRetryableStatus } from "./retry.js";

/** What the error messages name: the provider, the model, where it was called, which key it used. */
export type ErrorContext = {
  provider: string;
  modelName: string;
  baseURL?: string;
  /** The environment variable that holds the provider's key, for the 401 hint. */
  apiKeyVariable?: string;
};

// Network failures that mean "nothing is listening there" or "no such host": a wrong base URL or
// a server that is not running. Retrying only delays the clear message.
const unreachableCodes = new Set(["ECONNREFUSED", "ConnectionRefused", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
// Failures of a connection that did work: worth another try.
const transientCodes = new Set([
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ECONNABORTED",
  "ConnectionClosed",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CONNECT_TIMEOUT",
]);
// The connect and idle timeouts (model-call-timeouts.ts), as undici reports them.
const connectTimedOut = "the connection did not open within the connect timeout (modelCalls.connectTimeoutMs)";
const idleTimedOut = "the server sent nothing within the idle timeout (modelCalls.idleTimeoutMs)";
const timeoutDescriptions: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: connectTimedOut,
  UND_ERR_HEADERS_TIMEOUT: idleTimedOut,
  UND_ERR_BODY_TIMEOUT: idleTimedOut,
};
// Word-bounded: a JSON parser's "Unterminated string" is not a connection's "terminated".
const transientMessages = /\bterminated\b|other side closed|socket hang up|ended without a finish reason/i;
const contextLengthMessages = /context[_ ]length|context window|maximum context|prompt is too long|too many tokens|reduce the length/i;

// Error `type`s and `code`s that providers put in stream error events, by the HTTP status they stand for.
const statusByErrorType: Record<string, number> = {
  context_length_exceeded: 400,
  invalid_api_key: 401,
  model_not_found: 404,
  insufficient_quota: 429,
  overloaded_error: 529,
  rate_limit_error: 429,
  rate_limit_exceeded: 429,
  api_error: 500,
  server_error: 500,
  timeout_error: 504,
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
};

/** Milliseconds the provider asked us to wait: `retry-after-ms`, else `retry-after` (seconds or HTTP date). */
export function retryAfterMsFromHeaders(
  headers: Record<string, string | undefined> | undefined,
  now: number = Date.now(),
): number | undefined {
  if (headers === undefined) return undefined;
  const lookup = (name: string) =>
    Object.entries(headers)
      .find(([key]) => key.toLowerCase() === name)?.[1]
      ?.trim();
  const milliseconds = Number(lookup("retry-after-ms"));
  if (lookup("retry-after-ms") && Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const retryAfter = lookup("retry-after");
  if (!retryAfter) return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Maps anything a provider call threw, or a stream `error` part's payload, to a ModelCallError. */
export function toModelCallError(error: unknown, context: ErrorContext): ModelCallError {
  if (error instanceof ModelCallError) return error;
  if (APICallError.isInstance(error)) {
    // A connection that broke while the body streamed is reported with the 200 it started with.
    const brokeMidway = (error.statusCode ?? 0) < 400 && (findErrorCode(error) !== undefined || isTransientFailure(error));
    if (error.statusCode === undefined || brokeMidway) return fromNetworkFailure(error, context, error.url);
    if (error.statusCode < 400) return unreadableResponse(error.message, context, error.statusCode, error);
    return fromStatus(error.statusCode, error.message, context, {
      retryAfterMs: retryAfterMsFromHeaders(error.responseHeaders),
      details: `${error.responseBody ?? ""} ${JSON.stringify(error.data ?? null)}`,
      cause: error,
    });
  }
  // A streamed chunk that is not JSON, or not the API's shape.
  if (JSONParseError.isInstance(error) || TypeValidationError.isInstance(error))
    return unreadableResponse(error.message, context, undefined, error);
  if (error instanceof Error) {
    if (findErrorCode(error) !== undefined || isTransientFailure(error)) {
      return fromNetworkFailure(error, context, context.baseURL);
    }
    if (error.name === "AbortError" || error.name === "TimeoutError") {
      // Not our signal (the caller checks that first): a timeout inside the provider or fetch.
      return new ModelCallError(`The call to ${context.provider} timed out: ${error.message}`, {
        retryable: true,
        cause: error,
      });
    }
    return new ModelCallError(`The call to ${context.provider} (${context.modelName}) failed: ${error.message}`, {
      retryable: false,
      cause: error,
      hint: "If the provider is OpenAI-compatible, check that it really implements the API Ponder calls.",
    });
  }
  return fromStreamErrorPayload(error, context);
}

/**
 * A successful status with a body that is not the API's (invalid JSON, another shape): a proxy
 * or a server glitch as often as a server that does not implement the API, so it is retried;
 * when retries run out, the hint says what to check.
 */
export function unreadableResponse(detail: string, context: ErrorContext, status?: number, cause?: unknown): ModelCallError {
  return new ModelCallError(`${context.provider} sent a response for ${context.modelName} that Ponder could not read: ${detail}`, {
    status,
    retryable: true,
    cause,
    hint:
      `Something other than the provider may have answered at ${describeLocation(context.baseURL)} (a proxy or gateway); ` +
      "if it is an OpenAI-compatible server, check that it really implements the API Ponder calls.",
  });
}

function fromStatus(
  status: number,
  providerMessage: string,
  context: ErrorContext,
  extra: { retryAfterMs?: number; details?: string; cause?: unknown },
): ModelCallError {
  const evidence = `${providerMessage} ${extra.details ?? ""}`;
  const message = `${context.provider} returned HTTP ${status} for ${context.modelName}: ${providerMessage}`;
  const base = { status, cause: extra.cause, retryAfterMs: extra.retryAfterMs };
  if (contextLengthMessages.test(evidence) && status < 500) {
    return new ModelCallError(message, {
      ...base,
      retryable: false,
      hint: "The conversation is longer than the model's context window: shorten the input, start a new conversation instead of a follow-up (no --continue / continueFrom), or use a model with a larger context.",
    });
  }
  if (status === 429 && /insufficient_quota/.test(evidence)) {
    return new ModelCallError(message, {
      ...base,
      retryable: false,
      hint: "The account is out of quota or credit; waiting will not help. Check the provider's billing page.",
    });
  }
  return new ModelCallError(message, { ...base, retryable: isRetryableStatus(status), hint: hintForStatus(status, context) });
}

function hintForStatus(status: number, context: ErrorContext): string | undefined {
  const keyPlace = context.apiKeyVariable
    ? `${context.apiKeyVariable} or the provider's apiKey in ponder.config.json`
    : "the provider's apiKey in ponder.config.json";
  switch (status) {
    case 401:
      return `The API key was rejected. Check ${keyPlace}.`;
    case 403:
      return `The key has no access to ${context.modelName} (or to this organisation/project).`;
    case 404:
      return `Check the model name (${context.modelName}) and the base URL${context.baseURL ? ` (${context.baseURL})` : ""}.`;
    case 429:
      return "Rate limited by the provider; Ponder waits and retries.";
    case 529:
      return "The provider is overloaded; Ponder waits and retries.";
    default:
      return undefined;
  }
}

function fromNetworkFailure(error: Error, context: ErrorContext, url: string | undefined): ModelCallError {
  const code = findErrorCode(error);
  const where = describeLocation(url ?? context.baseURL);
  if (code !== undefined && unreachableCodes.has(code)) {
    const unknownHost = code === "ENOTFOUND" || code === "EAI_AGAIN";
    return new ModelCallError(
      `The ${context.provider} provider at ${where} is unreachable (${unknownHost ? "unknown host" : "connection refused"}).`,
      {
        retryable: false,
        cause: error,
        hint: unknownHost
          ? "Check the spelling of the base URL's host name and that this machine can resolve it (network, DNS)."
          : `Check that the server is running and listening at ${where}, and that the base URL (the *_BASE_URL ` +
            `variables or the provider's baseURL in ponder.config.json) is right.` +
            (context.provider === "ollama" ? " Start Ollama with `ollama serve`." : ""),
      },
    );
  }
  const timeout = code === undefined ? undefined : timeoutDescriptions[code];
  if (timeout !== undefined) {
    return new ModelCallError(`The call to the ${context.provider} provider at ${where} timed out: ${timeout}.`, {
      retryable: true,
      cause: error,
    });
  }
  return new ModelCallError(`The connection to the ${context.provider} provider at ${where} failed: ${rootCause(error)}`, {
    retryable: true,
    cause: error,
  });
}

function fromStreamErrorPayload(payload: unknown, context: ErrorContext): ModelCallError {
  const record = typeof payload === "object" && payload !== null ? (payload as Record<string, unknown>) : {};
  const message = typeof record.message === "string" ? record.message : errorMessage(payload);
  const type = typeof record.type === "string" ? record.type : undefined;
  const code = typeof record.code === "string" || typeof record.code === "number" ? String(record.code) : undefined;
  const status =
    (typeof record.statusCode === "number" ? record.statusCode : undefined) ??
    (type !== undefined ? statusByErrorType[type] : undefined) ??
    (code !== undefined ? statusByErrorType[code] : undefined) ??
    (code !== undefined && /^\d{3}$/.test(code) ? Number(code) : undefined) ??
    // An error event without a recognisable type: the provider failed mid-answer.
    500;
  return fromStatus(status, message, context, { details: JSON.stringify(payload ?? null) });
}

/** The innermost cause's message and code: "other side closed (UND_ERR_SOCKET)" says more than "fetch failed". */
function rootCause(error: Error): string {
  let inner: Error = error;
  while (inner.cause instanceof Error && inner.cause !== inner) inner = inner.cause;
  const code = (inner as { code?: unknown }).code;
  return typeof code === "string" && !inner.message.includes(code) ? `${inner.message} (${code})` : inner.message;
}

/** A transient failure named only in a message, on the error or one of its causes. */
function isTransientFailure(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  return transientMessages.test(error.message) || isTransientFailure(error.cause, depth + 1);
}

/** The first system error code found on the error, its causes, or an AggregateError's errors. */
function findErrorCode(error: unknown, seen = new Set<unknown>()): string | undefined {
  if (!(error instanceof Error) || seen.has(error)) return undefined;
  seen.add(error);
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (unreachableCodes.has(code) || transientCodes.has(code))) return code;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const found = findErrorCode(inner, seen);
      if (found !== undefined) return found;
    }
  }
  return findErrorCode(error.cause, seen);
}

function describeLocation(url: string | undefined): string {
  if (url === undefined) return "its configured address";
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname.replace(/\/(chat\/completions|responses|messages)$/, "")}`;
  } catch {
    return url;
  }
}
