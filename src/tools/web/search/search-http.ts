// One JSON request to a remote search service, with the retry policy of search-retry.ts and a
// message for every way it can fail that says what happened and who can fix it.
import { ToolError, ToolInfraError } from "../../../core/errors.js";
import { abortErrorOf, sleep } from "../../../core/abort.js";
import { isRetryableStatus, retryAfterMs, retryDelayMs } from "./search-retry.js";
import type { SearchRetrySettings } from "./search-settings.js";
import { shorten } from "./plain-text.js";

export type SearchRequest = {
  /** The service's name in messages: "Brave Search". */
  service: string;
  url: string;
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: unknown;
  /** What the user should do when the service refuses us (401/403), e.g. "set BRAVE_API_KEY". */
  refusedHint: string;
};

export type SearchRequestOptions = {
  signal: AbortSignal;
  timeoutMs: number;
  retry: SearchRetrySettings;
  random?: () => number;
};

// Connection failures that mean "wrong address or nothing running there": retrying cannot help.
const unreachableCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ERR_INVALID_URL"]);

export async function requestSearchJson(request: SearchRequest, options: SearchRequestOptions): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptRequest(request, options);
    if (outcome.kind === "json") return outcome.value;
    if (attempt >= options.retry.maxAttempts) throw outcome.finalError(attempt);
    const delay = retryDelayMs(attempt, outcome.requestedWaitMs, options.retry, options.random);
    if (delay === undefined) throw outcome.finalError(attempt, outcome.requestedWaitMs);
    await sleep(delay, options.signal);
  }
}

type Outcome =
  | { kind: "json"; value: unknown }
  | {
      kind: "transient";
      requestedWaitMs?: number;
      /** The error to report when no retry follows; `refusedWaitMs` when the service asked for too long a wait. */
      finalError: (attempts: number, refusedWaitMs?: number) => Error;
    };

async function attemptRequest(request: SearchRequest, options: SearchRequestOptions): Promise<Outcome> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new DOMException("The search request timed out.", "TimeoutError")), options.timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout.signal]);
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: {
        accept: "application/json",
        ...(request.body === undefined ? {} : { "content-type": "application/json" }),
        ...request.headers,
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal,
    });
    const text = await response.text();
    if (response.ok) return { kind: "json", value: parseJson(text, request) };
    return failedStatus(response.status, response.headers.get("retry-after"), text, request);
  } catch (error) {
    if (options.signal.aborted) throw abortErrorOf(options.signal);
    if (timeout.signal.aborted) {
      throw new ToolInfraError(
        `${request.service} did not answer within ${seconds(options.timeoutMs)}. It may be overloaded; search again later or continue without it.`,
      );
    }
    if (error instanceof ToolError || error instanceof ToolInfraError) throw error;
    const code = networkErrorCode(error);
    if (code !== undefined && unreachableCodes.has(code)) {
      throw new ToolInfraError(
        `Could not reach ${request.service} at ${new URL(request.url).origin} (${code}). The search service is not running or its URL is wrong in the configuration.`,
        error,
      );
    }
    return {
      kind: "transient",
      finalError: (attempts) =>
        new ToolInfraError(
          `The connection to ${request.service} failed ${attempts === 1 ? "" : `${attempts} times `}(${code ?? describe(error)}).`,
          error,
        ),
    };
  } finally {
    clearTimeout(timer);
  }
}

function failedStatus(status: number, retryAfter: string | null, body: string, request: SearchRequest): Outcome {
  const detail = errorDetail(body);
  const said = detail ? `: ${detail}` : "";
  if (isRetryableStatus(status)) {
    return {
      kind: "transient",
      requestedWaitMs: retryAfterMs(retryAfter),
      finalError: (attempts, refusedWaitMs) =>
        status === 429
          ? new ToolInfraError(
              `${request.service} is rate limiting these searches (HTTP 429${said})` +
                (refusedWaitMs !== undefined ? ` and asked to wait ${seconds(refusedWaitMs)}` : ` after ${attempts} attempts`) +
                ". Search less often, or continue with what you have.",
            )
          : new ToolInfraError(`${request.service} failed with HTTP ${status}${said} (${attempts} attempt${attempts === 1 ? "" : "s"}).`),
    };
  }
  // Some services (Brave) answer a bad key with 422 rather than 401.
  if (
    status === 401 ||
    status === 403 ||
    ((status === 400 || status === 422) && /token|api.?key|unauthori[sz]ed|subscription/i.test(detail ?? ""))
  ) {
    throw new ToolInfraError(
      `${request.service} refused the request (HTTP ${status}${said}). Searching again will not help: the user must ${request.refusedHint}.`,
    );
  }
  if (status === 400 || status === 422) {
    throw new ToolError(
      `${request.service} rejected the query (HTTP ${status}${said}). Rephrase it: shorter, plain words, no special syntax.`,
    );
  }
  if (status === 404) {
    throw new ToolInfraError(
      `${request.service} answered 404 Not Found for ${request.url.split("?")[0]}: the service URL in the configuration is wrong.`,
    );
  }
  throw new ToolInfraError(`${request.service} refused the search with HTTP ${status}${said}.`);
}

function parseJson(text: string, request: SearchRequest): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ToolInfraError(`${request.service} answered with something that is not JSON: ${JSON.stringify(shorten(text.trim(), 120))}.`);
  }
}

/** The service's own words from an error body, whatever its shape ({error}, {message}, {detail}). */
function errorDetail(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    const text = body
      .replace(/<[^>]*>/g, " ")
      .replace(/\s+/g, " ")
      .trim();
    return text ? shorten(text, 200) : undefined;
  }
  const found = findMessage(parsed, 3);
  return found ? shorten(found, 200) : undefined;
}

function findMessage(value: unknown, depth: number): string | undefined {
  if (typeof value === "string") return value.trim() || undefined;
  if (depth === 0 || typeof value !== "object" || value === null) return undefined;
  const record = value as Record<string, unknown>;
  for (const key of ["message", "error", "detail", "details", "msg"]) {
    const found = findMessage(record[key], depth - 1);
    if (found) return found;
  }
  return undefined;
}

function networkErrorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
