import type { IncomingMessage } from "node:http";
import { MIMEType } from "node:util";
import type { AllowedHosts } from "./allowed-hosts.js";
import { HttpError } from "./http-error.js";
import { bodyLimitOf, bodyTooLarge, maxBodyBytes } from "./request-body.js";

/**
 * `api`: endpoints that act or reveal runs (`/v1/`, `/mcp`). `page`: the web UI's static files,
 * which are the same for everyone; another site may link to them, but not read them by another name.
 */
export type RequestScope = "api" | "page";

/**
 * Refuses what a web page could forge against a server on the user's machine, before any route or
 * key is looked at. A browser gives itself away: it sends `Origin` on every POST and on every
 * cross-origin request, and `Sec-Fetch-Site` on every request; command-line clients and SDKs send
 * neither and are not affected.
 */
export function guardRequest(request: IncomingMessage, hosts: AllowedHosts, scope: RequestScope): void {
  const host = request.headers.host;
  if (!hosts.allows(host, request.socket.localPort ?? 0)) {
    const name = host === undefined ? "" : host.replace(/:\d+$/, "");
    throw new HttpError(
      421,
      host === undefined
        ? "The request has no Host header."
        : `This server does not answer to the name ${JSON.stringify(host)}. If you reach Ponder by that name on purpose, start it with --allowed-host ${name}.`,
      "invalid_request_error",
      { code: "host_not_allowed" },
    );
  }
  // No preflight is ever granted: no page on another origin gets to send JSON, keys or custom headers.
  if (request.method === "OPTIONS") throw forbidden("This server grants no cross-origin (CORS) access.", "cross_origin_refused");
  refuseForeignOrigin(request, host as string, scope);
  refuseEncodedBody(request);
  if (request.method !== "GET" && request.method !== "HEAD") refuseNonJsonBody(request);
}

function refuseForeignOrigin(request: IncomingMessage, host: string, scope: RequestScope): void {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    // `null`: sandboxed frames, file: pages, data: URLs; nobody this server knows.
    if (origin === "null") throw forbidden("Requests from an opaque origin (Origin: null) are refused.", "origin_not_allowed");
    // Behind a TLS proxy the page's origin is https: the host must match, the scheme may differ.
    const parsed = URL.canParse(origin) ? new URL(origin) : undefined;
    if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:") || parsed.host !== host.toLowerCase()) {
      throw forbidden(
        `Requests from other origins (${origin}) are refused: only pages served by this server may call it.`,
        "origin_not_allowed",
      );
    }
  }
  // Links from other sites may open the UI; only the server's own pages (or the user typing a URL) reach the API.
  const site = request.headers["sec-fetch-site"];
  if (scope === "api" && site !== undefined && site !== "same-origin" && site !== "none") {
    throw forbidden(`Requests made by pages of other sites (Sec-Fetch-Site: ${site}) are refused.`, "origin_not_allowed");
  }
}

function refuseEncodedBody(request: IncomingMessage): void {
  const encoding = request.headers["content-encoding"];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== "identity") {
    throw unsupportedMedia(
      `Content-Encoding ${JSON.stringify(encoding)} is not supported: send the body uncompressed.`,
      "unsupported_content_encoding",
    );
  }
}

/**
 * A body must be `application/json` (UTF-8): the types a page may send without asking first
 * (`text/plain`, forms) are exactly the ones refused. A POST with no body (cancel, say) needs no
 * type; a page cannot send one without an `Origin`, which is checked above.
 */
function refuseNonJsonBody(request: IncomingMessage): void {
  const declared = request.headers["content-type"];
  const length = request.headers["content-length"];
  const hasBody = request.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
  if (declared === undefined && !hasBody) return;
  if (declared === undefined)
    throw unsupportedMedia("The request has a body but no Content-Type: send `Content-Type: application/json`.", "unsupported_media_type");
  if (!acceptedTypes.has(declared)) checkJsonType(declared);
  // Under the smaller limit, the path (which decides the limit) need not be parsed.
  if (length === undefined || Number(length) <= maxBodyBytes) return;
  const limit = bodyLimitOf(new URL(request.url ?? "/", "http://ponder.invalid").pathname);
  if (Number(length) > limit) throw bodyTooLarge(limit);
}

/**
 * Content-Type values found to be JSON: clients send the same one or two on every request, and
 * parsing one is a good part of a request's checks. Bounded, since clients choose them.
 */
const acceptedTypes = new Set<string>();
const acceptedTypesKept = 32;

function checkJsonType(declared: string): void {
  let type: MIMEType | undefined;
  try {
    type = new MIMEType(declared);
  } catch {
    type = undefined;
  }
  const charset = type?.params.get("charset")?.toLowerCase();
  if (type?.essence !== "application/json" || (charset !== undefined && charset !== "utf-8")) {
    throw unsupportedMedia(
      `Content-Type ${JSON.stringify(declared)} is not accepted: send JSON as \`Content-Type: application/json\` (UTF-8).`,
      "unsupported_media_type",
    );
  }
  if (acceptedTypes.size < acceptedTypesKept) acceptedTypes.add(declared);
}

function forbidden(message: string, code: string): HttpError {
  return new HttpError(403, message, "permission_error", { code });
}

function unsupportedMedia(message: string, code: string): HttpError {
  return new HttpError(415, message, "invalid_request_error", { code });
}
