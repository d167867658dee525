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
import { ApiKeyStore } from "../api-keys.js";
import { HttpError } from "../http-error.js";
import { readJsonBody } from "../request-body.js";
import { sessionOf, type McpProcess } from "./mcp-context.js";
import { createPonderMcpServer } from "./ponder-mcp-server.js";

export type McpHttpOptions = { port: number; host?: string };

export type McpHttpServer = {
  /** `http://host:port/mcp` */
  url: string;
  host: string;
  keysRequired: boolean;
  close(): Promise<void>;
};

type Session = { transport: StreamableHTTPServerTransport; server: McpServer; tenant: string | undefined };

const loopbackHosts = new Set(["127.0.0.1", "localhost", "::1"]);
const endpoint = "/mcp";

export async function startMcpHttp(shared: McpProcess, options: McpHttpOptions): Promise<McpHttpServer> {
  const keys = new ApiKeyStore(shared.settings.databasePath);
  const keysRequired = keys.hasActiveKeys();
  const requestedHost = options.host ?? "127.0.0.1";
  const host = keysRequired || loopbackHosts.has(requestedHost) ? requestedHost : "127.0.0.1";
  const sessions = new Map<string, Session>();
  const context: RequestContext = { shared, keys, sessions, loopbackOnly: loopbackHosts.has(host) };
  const http = createServer((request, response) => void handle(request, response, context));
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

type RequestContext = { shared: McpProcess; keys: ApiKeyStore; sessions: Map<string, Session>; loopbackOnly: boolean };

async function handle(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
  try {
    const url = new URL(request.url ?? "/", "http://ponder.invalid");
    if (url.pathname !== endpoint) throw new HttpError(404, `Ponder's MCP endpoint is ${endpoint}.`, "not_found_error");
    if (context.loopbackOnly) refuseForeignPages(request);
    const tenant = authenticate(request, context.keys);
    const sessionId = request.headers["mcp-session-id"];
    if (typeof sessionId === "string") {
      const session = context.sessions.get(sessionId);
      // Another tenant's session answers like a missing one: ids reveal nothing.
      if (!session || session.tenant !== tenant) throw new HttpError(404, "No such MCP session; start a new one with initialize.", "not_found_error");
      await session.transport.handleRequest(request, response);
      return;
    }
    const body = request.method === "POST" ? await readJsonBody(request, z.unknown()) : undefined;
    if (!isInitializeRequest(body)) throw new HttpError(400, "No MCP session: send initialize first, then the mcp-session-id header it returns.", "invalid_request_error");
    await startSession(context, tenant, request, response, body);
  } catch (error) {
    const status = error instanceof HttpError ? error.status : 500;
    const message = error instanceof Error ? error.message : String(error);
    if (status >= 500) process.stderr.write(`ponder mcp: ${request.method} ${request.url}: ${error instanceof Error ? (error.stack ?? message) : message}\n`);
    if (response.headersSent) response.destroy();
    else sendJsonRpcError(response, status, message);
  }
}

async function startSession(context: RequestContext, tenant: string | undefined, request: IncomingMessage, response: ServerResponse, body: unknown): Promise<void> {
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
  if (tenant === undefined) throw new HttpError(401, match ? "The API key is not valid." : "This server needs an API key: send `Authorization: Bearer <key>`.", "authentication_error");
  return tenant;
}

/**
 * A server on 127.0.0.1 is still reachable from web pages in the user's browser, by a name that
 * resolves to 127.0.0.1 (DNS rebinding) or by a cross-origin request; only local names and
 * local pages may call it, as the MCP specification asks of local servers.
 */
function refuseForeignPages(request: IncomingMessage): void {
  const hostName = hostnameOf(request.headers.host);
  const origin = request.headers.origin;
  const originHost = origin === undefined ? undefined : URL.canParse(origin) ? new URL(origin).hostname.replace(/^\[|\]$/g, "") : "";
  if (hostName === undefined || !loopbackHosts.has(hostName) || (originHost !== undefined && !loopbackHosts.has(originHost))) {
    throw new HttpError(403, "Only local clients may call this server (Host and Origin must be 127.0.0.1, localhost or ::1).", "authentication_error");
  }
}

function hostnameOf(header: string | undefined): string | undefined {
  if (header === undefined || !URL.canParse(`http://${header}`)) return undefined;
  return new URL(`http://${header}`).hostname.replace(/^\[|\]$/g, "");
}

function sendJsonRpcError(response: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify({ jsonrpc: "2.0", error: { code: status === 400 ? -32600 : -32000, message }, id: null });
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  response.end(body);
}
