import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { detectDefaultModel } from "../config/detect-model.js";
import { resolveSettings, type Environment } from "../config/resolve-settings.js";
import { SettingsCache } from "../config/settings-cache.js";
import { ConfigError } from "../core/errors.js";
import { defaultQueueName, ensureRedisReachable } from "../queue/bullmq-connection.js";
import { BullmqExecutor } from "../queue/bullmq-executor.js";
import type { InlineExecutor } from "../queue/inline-executor.js";
import { sharedRunControls } from "../queue/open-run-controls.js";
import { openResponseEventLog } from "./response-event-log.js";
import { openRunStore } from "../store/open-run-store.js";
import { AllowedHosts, invalidHostNames, isLoopbackName } from "./allowed-hosts.js";
import { ApiKeyStore } from "./api-keys.js";
import { authenticate } from "./auth.js";
import { httpErrorOf } from "./http-error.js";
import { sendError } from "./http-response.js";
import { LiveRuns } from "./live-runs.js";
import { guardRequest } from "./request-guard.js";
import { matchRoute } from "./router.js";
import { recoverServerRuns } from "./run-recovery.js";
import { routes } from "./routes.js";
import { serveStaticFile } from "./static-files.js";
import type { ServerState } from "./server-state.js";
import { logged, logger } from "../logging/logger.js";
import { keptKernels } from "../tools/python/kept-kernels.js";

const log = logger("server");

export type ServerOptions = {
  port?: number;
  host?: string;
  home?: string;
  configPath?: string;
  env?: Environment;
  cwd?: string;
  /** More models to list in `GET /v1/models`, beside the configured default. */
  models?: string[];
  /** Names the server answers to besides localhost (`--allowed-host`), added to the config's `server.allowedHosts`. */
  allowedHosts?: string[];
};

export type PonderServer = {
  /** `http://host:port` */
  url: string;
  host: string;
  port: number;
  /** Whether clients must send an API key (at least one key is active). */
  keysRequired: boolean;
  /**
   * Stops accepting connections, suspends the runs advancing here (each stops where it is, keeps
   * its last checkpoint and is left `paused` with stop reason `suspended`, so `ponder resume` or
   * a new server continues it; its watchers never see it cancelled), then closes the store.
   */
  close(): Promise<void>;
};

/**
 * Starts the HTTP server. With no API key configured it listens on 127.0.0.1 whatever host was
 * asked for: without keys anyone who can connect could run code in the sandbox on this machine.
 */
export async function startPonderServer(options: ServerOptions = {}): Promise<PonderServer> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const settings = resolveSettings({ home: options.home, configPath: options.configPath }, env, cwd);
  const allowedNames = [...settings.allowedHosts, ...(options.allowedHosts ?? [])];
  const invalid = invalidHostNames(allowedNames);
  if (invalid.length > 0)
    throw new ConfigError(
      `Not a host name: ${invalid.join(", ")}.`,
      "Allowed hosts are names or addresses, optionally with :port (ponder.example, ponder.example:443).",
    );
  const defaultModel =
    settings.model ??
    (await detectDefaultModel(settings).catch(logged(log, "warn", "no default model detected: requests must name their model")));
  if (env.REDIS_URL) await ensureRedisReachable(env.REDIS_URL);
  const store = openRunStore(settings);
  const keys = new ApiKeyStore(settings.databasePath);
  const state: ServerState = {
    store,
    controls: sharedRunControls(store),
    responseEvents: openResponseEventLog(store),
    keys,
    workers: env.REDIS_URL ? new BullmqExecutor({ redisUrl: env.REDIS_URL, queueName: env.PONDER_QUEUE ?? defaultQueueName }) : undefined,
    settings,
    runSettings: new SettingsCache(env, cwd),
    live: new LiveRuns(),
    home: settings.home,
    env,
    cwd,
    ...(settings.configPath ? { configPath: settings.configPath } : {}),
    ...(defaultModel ? { defaultModel } : {}),
    models: [...new Set([...(defaultModel ? [defaultModel] : []), ...(options.models ?? [])])],
    closing: false,
  };
  const inline = await recoverServerRuns(state);
  if (inline) state.inline = inline;
  const keysRequired = keys.hasActiveKeys();
  const requestedHost = options.host ?? "127.0.0.1";
  const host = keysRequired || isLoopbackName(requestedHost) ? requestedHost : "127.0.0.1";
  const hosts = new AllowedHosts(allowedNames, !isLoopbackName(host));
  // A request without Host is answered by guardRequest, in the API's error shape, not by Node's bare 400.
  // Responses not yet complete: at shutdown they get to end (a run's stream sends its last events).
  const answering = new Set<Promise<void>>();
  const server = createServer({ requireHostHeader: false }, (request, response) => {
    const answered = new Promise<void>((resolve) => response.once("close", resolve));
    answering.add(answered);
    void answered.then(() => answering.delete(answered));
    void handle(request, response, state, hosts);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8787, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    host,
    port,
    keysRequired,
    close: () => shutdown(server, state, inline, answering),
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, state: ServerState, hosts: AllowedHosts): Promise<void> {
  try {
    const url = new URL(request.url ?? "/", "http://ponder.invalid");
    // Everything outside /v1/ but the OpenAPI document is the web UI: static files that need no key.
    const page =
      (request.method === "GET" || request.method === "HEAD") && !url.pathname.startsWith("/v1/") && url.pathname !== "/openapi.json";
    guardRequest(request, hosts, page ? "page" : "api");
    if (page) {
      await serveStaticFile(request, response, url.pathname);
      return;
    }
    const { route, params } = matchRoute(routes, request.method ?? "", url.pathname);
    const caller = authenticate(request, state);
    await route.handle({ request, response, url, params, caller, state });
  } catch (error) {
    const httpError = httpErrorOf(error);
    // A 5xx is our bug or a provider's failure: the operator needs the details the client is not shown.
    if (httpError.status >= 500)
      log.error({ err: error, method: request.method, url: request.url, status: httpError.status }, "request failed");
    if (!response.headersSent) sendError(response, httpError);
    else response.destroy();
  }
}

/** How long a shutdown waits for responses still being sent (a client reading slowly) before it cuts their connections. */
const responsesGraceMs = 2_000;

async function shutdown(
  server: Server,
  state: ServerState,
  inline: InlineExecutor | undefined,
  answering: Set<Promise<void>>,
): Promise<void> {
  state.closing = true;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const live = state.live.all();
  // A run stopped by a shutdown did not choose to end: it is left paused (resumable), and its
  // watchers see it paused, never cancelled.
  for (const run of live) run.handle.suspend();
  await Promise.all(live.map((run) => run.finished));
  // Recovered runs advancing here stop at their next step boundary and stay queued for the next server.
  await inline?.close();
  await state.workers?.close();
  // A kept kernel's sandbox (and anything its code left running) does not outlive the server that ran it.
  await keptKernels.stopWithin(state.home, "was stopped when the server shut down");
  // Event streams of those runs end by themselves now; their last events (the run paused, `done`)
  // must reach their clients before the connections are cut. Anything still open after the
  // grace period is a client that lingers.
  let grace: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(answering), new Promise((resolve) => (grace = setTimeout(resolve, responsesGraceMs)))]);
  clearTimeout(grace);
  server.closeAllConnections();
  await closed;
  state.keys.close();
  await state.controls?.close();
  await state.responseEvents?.close();
  await state.store.close();
}
