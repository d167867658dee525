// `ponder mcp --http`: the same tools over MCP's Streamable HTTP transport at /mcp, one MCP
// session per client. As with `ponder serve`: without an API key (`ponder keys create`) it
// listens on 127.0.0.1 only, since whoever can call it can run code in the sandbox here; with
// keys every request needs one, and a session's runs belong to its key's tenant.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { AllowedHosts, invalidHostNames, isLoopbackName } from "../allowed-hosts.js";
import { ApiKeyStore } from "../api-keys.js";
import { ConfigError } from "../../core/errors.js";
import { HttpError } from "../http-error.js";
import { sendBody } from "../http-response.js";
import { readJsonBody } from "../request-body.js";
import { guardRequest } from "../request-guard.js";
import { sessionOf, type McpProcess } from "./mcp-context.js";
import { createPonderMcpServer } from "./ponder-mcp-server.js";
import { logger } from "../../logging/logger.js";

const log = logger("server.mcp");

/** `allowedHosts`: names it answers to besides localhost, added to the config's `server.allowedHosts`. */
export type McpHttpOptions = { port: number; host?: string; allowedHosts?: string[] };

export type McpHttpServer = {
  /** `http://host:port/mcp` */
  url: string;
  host: string;
  keysRequired: boolean;
  close(): Promise<void>;
};

type Session = { transport: StreamableHTTPServerTransport; server: McpServer; tenant: string | undefined };

const endpoint = "/mcp";

export async function startMcpHttp(shared: McpProcess, options: McpHttpOptions): Promise<McpHttpServer> {
  const keys = new ApiKeyStore(shared.settings.databasePath);
  const keysRequired = keys.hasActiveKeys();
  const requestedHost = options.host ?? "127.0.0.1";
  const host = keysRequired || isLoopbackName(requestedHost) ? requestedHost : "127.0.0.1";
  const allowedNames = [...shared.settings.allowedHosts, ...(options.allowedHosts ?? [])];
  const invalid = invalidHostNames(allowedNames);
  if (invalid.length > 0) {
    keys.close();
    throw new ConfigError(
      `Not a host name: ${invalid.join(", ")}.`,
      "Allowed hosts are names or addresses, optionally with :port (ponder.example, ponder.example:443).",
    );
  }
  const sessions = new Map<string, Session>();
  const context: RequestContext = { shared, keys, sessions, hosts: new AllowedHosts(allowedNames, !isLoopbackName(host)) };
  // A request without Host is answered by guardRequest, as JSON-RPC, not by Node's bare 400.
  const http = createServer({ requireHostHeader: false }, (request, response) => void handle(request, response, context));
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port, host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}${endpoint}`,
    host,
    keysRequired,
    close: async () => {
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      await Promise.all([...sessions.values()].map(({ server }) => server.close()));
      http.closeAllConnections();
      await closed;
      keys.close();
    },
  };
}

type RequestContext = { shared: McpProcess; keys: ApiKeyStore; sessions: Map<string, Session>; hosts: AllowedHosts };

async function handle(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
  try {
    const url = new URL(request.url ?? "/", "http://ponder.invalid");
    // The same rules as `ponder serve` (docs/server.md): a local server trusts no web page.
    guardRequest(request, context.hosts, "api");
    if (url.pathname !== endpoint) throw new HttpError(404, `Ponder's MCP endpoint is ${endpoint}.`, "not_found_error");
    const tenant = authenticate(request, context.keys);
    const sessionId = request.headers["mcp-session-id"];
    // Read here rather than by the transport, so its size limit and answer are the server's own.
    const body = request.method === "POST" ? await readJsonBody(request, z.unknown()) : undefined;
    if (typeof sessionId === "string") {
      const session = context.sessions.get(sessionId);
      // Another tenant's session answers like a missing one: ids reveal nothing.
      if (!session || session.tenant !== tenant)
        throw new HttpError(404, "No such MCP session; start a new one with initialize.", "not_found_error");
      await session.transport.handleRequest(request, response, body);
      return;
    }
    if (!isInitializeRequest(body))
      throw new HttpError(
        400,
        "No MCP session: send initialize first, then the mcp-session-id header it returns.",
        "invalid_request_error",
      );
    await startSession(context, tenant, request, response, body);
  } catch (error) {
    const status = error instanceof HttpError ? error.status : 500;
    const message = error instanceof Error ? error.message : String(error);
    if (status >= 500) log.error({ err: error, method: request.method, url: request.url, status }, "MCP request failed");
    if (response.headersSent) response.destroy();
    else sendJsonRpcError(response, status, message);
  }
}

async function startSession(
  context: RequestContext,
  tenant: string | undefined,
  request: IncomingMessage,
  response: ServerResponse,
  body: unknown,
): Promise<void> {
  const server = createPonderMcpServer(sessionOf(context.shared, tenant));
  const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    // Stored once the id exists, before the client can send a request naming it.
    onsessioninitialized: (sessionId) => void context.sessions.set(sessionId, { transport, server, tenant }),
  });
  transport.onclose = () => {
    if (transport.sessionId) context.sessions.delete(transport.sessionId);
  };
  await server.connect(transport);
  await transport.handleRequest(request, response, body);
}

/** The tenant of the request's key; undefined while no key exists (then everyone is the local user). */
function authenticate(request: IncomingMessage, keys: ApiKeyStore): string | undefined {
  if (!keys.hasActiveKeys()) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? "");
  const tenant = match?.[1] ? keys.verify(match[1]) : undefined;
  if (tenant === undefined)
    throw new HttpError(
      401,
      match ? "The API key is not valid." : "This server needs an API key: send `Authorization: Bearer <key>`.",
      "authentication_error",
    );
  return tenant;
}

function sendJsonRpcError(response: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify({ jsonrpc: "2.0", error: { code: status === 400 ? -32600 : -32000, message }, id: null });
  sendBody(response, status, { "content-type": "application/json" }, body);
}
