import type { IncomingMessage } from "node:http";
import { HttpError } from "./http-error.js";
import type { Caller, ServerState } from "./server-state.js";

/**
 * The tenant of the machine's own user: a key made for it (`ponder keys create`, no --tenant)
 * authenticates as the local user, who sees what the CLI sees: every run on this machine.
 */
export const localTenant = "local";

/**
 * The caller of a request. While no key is active, everyone is the local user (the server then
 * listens on 127.0.0.1 only); once a key exists, every request needs one, as a Bearer token.
 */
export function authenticate(request: IncomingMessage, state: ServerState): Caller {
  if (!state.keys.hasActiveKeys()) return {};
  const header = request.headers.authorization ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const tenant = match?.[1] ? state.keys.verify(match[1]) : undefined;
  if (tenant === undefined) {
    throw new HttpError(
      401,
      match ? "The API key is not valid." : "This server needs an API key: send `Authorization: Bearer <key>`.",
      "authentication_error",
      {
        code: "invalid_api_key",
      },
    );
  }
  return tenant === localTenant ? {} : { tenant };
}
