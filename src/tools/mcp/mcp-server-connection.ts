// One MCP server for the length of a run: starts it, keeps its tool list current, calls its
// tools, and starts it again on the next call after it stopped.
//
// How failures reach the model:
// - the tool's own error (`isError: true`), or the server refusing a call (bad arguments, an
//   unknown tool, its time running out) → ToolError: the model reads it and changes its call;
// - the server's process ending, or its HTTP endpoint failing → ToolInfraError for the calls in
//   flight, and the next call starts (or reconnects) it transparently, up to `maxRestarts` times
//   per run, so a server that dies on every call cannot loop forever.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ErrorCode, McpError, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import type { Tool as McpToolDefinition } from "@modelcontextprotocol/sdk/types.js";
import { CancelledError, ToolError, ToolInfraError, errorMessage } from "../../core/errors.js";
import type { ToolContext, ToolOutput } from "../tool.js";
import { wrapUntrusted } from "../untrusted-content.js";
import { mcpCallOutput } from "./mcp-call-result.js";
import { defaultStartupTimeoutMs, isHttpServer, type McpServerSettings } from "./mcp-server-settings.js";
import { createMcpTool, type McpTool } from "./mcp-tool.js";
import { ponderToolNames } from "./mcp-tool-names.js";
import { createMcpTransport, type McpTransport } from "./mcp-transport.js";
import { durationText, lastLines, startFailureMessage } from "./mcp-failure-messages.js";
import { logged, logger } from "../../logging/logger.js";

const log = logger("tools.mcp");

const clientInfo = { name: "ponder", title: "Ponder", version: "0.1.0" };
/** Restarts after the server stopped, per run. */
export const maxRestarts = 3;
/** Without a server `timeoutMs`, the run's per-call timeout (through the signal) is the real limit. */
const callTimeoutBackstopMs = 60 * 60_000;
/** Lets the loop's own timeout (same length, started first) win, so it is recorded as a timeout. */
const callTimeoutGraceMs = 1_000;
const maxToolListPages = 100;

/**
 * - connecting: starting (or restarting) and listing tools
 * - connected: ready for calls
 * - stopped: the process ended or the endpoint failed; the next call starts it again
 * - failed: the last attempt to start failed (its error says why)
 * - closed: the run ended
 */
export type McpServerState = "connecting" | "connected" | "stopped" | "failed" | "closed";

export type McpServerStatus = {
  name: string;
  transport: "stdio" | "http";
  state: McpServerState;
  tools: number;
  restarts: number;
  processId?: number;
  error?: string;
};

type Live = { client: Client; wire: McpTransport };

export class McpServerConnection {
  private live: Live | undefined;
  private starting: Promise<Client> | undefined;
  private state: McpServerState = "connecting";
  private error: string | undefined;
  private restarts = 0;
  private currentTools: McpTool[] = [];
  private listingGeneration = 0;
  private appliedGeneration = 0;
  /** Aborted on close: stops a start or a listing in progress. */
  private readonly lifetime = new AbortController();

  constructor(
    readonly name: string,
    private readonly settings: McpServerSettings,
    private readonly onToolsChanged: () => void = () => undefined,
  ) {}

  /** The first start. Throws ToolInfraError (saying why) when the server cannot start. */
  async start(signal?: AbortSignal): Promise<void> {
    this.starting ??= this.connect().finally(() => {
      this.starting = undefined;
    });
    await untilAborted(this.starting, signal);
  }

  /** The tools from the server's latest list (kept while it is stopped: a call restarts it). */
  tools(): McpTool[] {
    return this.currentTools;
  }

  status(): McpServerStatus {
    const processId = this.live?.wire.processId();
    return {
      name: this.name,
      transport: isHttpServer(this.settings) ? "http" : "stdio",
      state: this.state,
      tools: this.currentTools.length,
      restarts: this.restarts,
      ...(processId !== undefined ? { processId } : {}),
      ...(this.error !== undefined ? { error: this.error } : {}),
    };
  }

  async close(): Promise<void> {
    if (this.state === "closed") return;
    this.state = "closed";
    this.lifetime.abort(new CancelledError(`The MCP server "${this.name}" was closed.`));
    const live = this.live;
    this.live = undefined;
    if (live) {
      await live.wire.endSession();
      await live.client.close().catch(logged(log, "debug", "closing an MCP client failed"));
      await live.wire.terminate();
    }
    // A start in progress sees the abort, closes its own client and fails; wait for that.
    await this.starting?.catch(() => undefined);
  }

  private async call(tool: string, ponderName: string, args: Record<string, unknown>, context: ToolContext): Promise<ToolOutput> {
    const client = await this.clientFor(context.signal);
    if (!this.currentTools.some((entry) => entry.mcp.tool === tool)) {
      throw new ToolError(
        `The MCP server "${this.name}" no longer offers "${ponderName}". Use one of the tools it lists now, or another way.`,
      );
    }
    let result: Awaited<ReturnType<Client["callTool"]>>;
    try {
      const timeout = this.settings.timeoutMs === undefined ? callTimeoutBackstopMs : this.settings.timeoutMs + callTimeoutGraceMs;
      result = await client.callTool({ name: tool, arguments: args }, undefined, { signal: context.signal, timeout });
    } catch (error) {
      throw await this.callFailure(error, client, ponderName, context.signal);
    }
    return mcpCallOutput(result, { server: this.name, tool: ponderName, model: context.model });
  }

  /** The live client, or a fresh one: after a stop, the call that needs the server starts it. */
  private async clientFor(signal: AbortSignal): Promise<Client> {
    if (this.state === "closed") throw new ToolInfraError(`The MCP server "${this.name}" is closed because its run has ended.`);
    if (this.live) return this.live.client;
    if (!this.starting) {
      if (this.restarts >= maxRestarts) {
        throw new ToolInfraError(
          `The MCP server "${this.name}" was already started again ${this.restarts} times in this run and is not started again${this.error ? ` (last: ${this.error})` : ""}. Continue without its tools.`,
        );
      }
      this.restarts += 1;
      this.starting = this.connect().finally(() => {
        this.starting = undefined;
      });
    }
    return untilAborted(this.starting, signal);
  }

  private async connect(): Promise<Client> {
    this.state = "connecting";
    const wire = createMcpTransport(this.settings);
    const client = new Client(clientInfo, { capabilities: {} });
    // Set before connecting: a server may announce a new list right after initialisation.
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => this.refresh(client));
    client.onclose = () => this.lost(client);
    // Transport errors also reach the request they broke, which reports them; the rest (a
    // failed attempt to reopen a notification stream) changes nothing a call could act on.
    client.onerror = () => undefined;
    try {
      await this.whileOpen(async (options) => {
        await client.connect(wire.transport, options);
        this.live = { client, wire };
        await this.list(client, options);
      });
      this.lifetime.signal.throwIfAborted();
    } catch (error) {
      if (this.live?.client === client) this.live = undefined;
      // A server that failed to start gets no graceful goodbye: it is stopped at once.
      await wire.terminate();
      await client.close().catch(logged(log, "debug", "closing an MCP client that failed to start failed"));
      const failure = new ToolInfraError(startFailureMessage(this.name, this.settings, error, wire.stderrTail()), error);
      if (!this.lifetime.signal.aborted) {
        this.state = "failed";
        this.error = failure.message;
      }
      throw failure;
    }
    this.state = "connected";
    this.error = undefined;
    return client;
  }

  /** Lists every page of tools; a listing older than the one already applied is dropped. */
  private async list(client: Client, options: { signal: AbortSignal; timeout: number }): Promise<void> {
    const generation = ++this.listingGeneration;
    const definitions: McpToolDefinition[] = [];
    if (client.getServerCapabilities()?.tools) {
      let cursor: string | undefined;
      for (let page = 0; page === 0 || (cursor !== undefined && page < maxToolListPages); page++) {
        const result = await client.listTools(cursor === undefined ? undefined : { cursor }, options);
        definitions.push(...result.tools);
        cursor = result.nextCursor;
      }
    }
    if (generation < this.appliedGeneration || this.live?.client !== client) return;
    this.appliedGeneration = generation;
    this.currentTools = this.toolsFrom(definitions);
    this.onToolsChanged();
  }

  private refresh(client: Client): void {
    this.whileOpen((options) => this.list(client, options)).catch((error: unknown) => {
      // The old list stays; a call to a tool that is gone gets the server's own answer.
      if (this.live?.client === client) this.error = `Refreshing the tool list failed: ${errorMessage(error)}`;
    });
  }

  /**
   * Runs server work (starting, listing) with a signal of its own that aborts when the connection
   * closes. Its own, because the SDK never removes the abort listeners it adds to a signal.
   */
  private async whileOpen<T>(work: (options: { signal: AbortSignal; timeout: number }) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const onClose = () => controller.abort(this.lifetime.signal.reason);
    if (this.lifetime.signal.aborted) onClose();
    else this.lifetime.signal.addEventListener("abort", onClose, { once: true });
    try {
      return await work({ signal: controller.signal, timeout: this.settings.startupTimeoutMs ?? defaultStartupTimeoutMs });
    } finally {
      this.lifetime.signal.removeEventListener("abort", onClose);
    }
  }

  private toolsFrom(definitions: McpToolDefinition[]): McpTool[] {
    // Tools that can only run as MCP tasks need a protocol Ponder does not speak yet.
    const callable = definitions.filter((definition) => definition.execution?.taskSupport !== "required");
    const names = ponderToolNames(
      this.name,
      callable.map((definition) => definition.name),
    );
    return callable.map((definition) => {
      const name = names.get(definition.name) ?? definition.name;
      return createMcpTool({
        server: this.name,
        name,
        definition,
        ...(this.settings.timeoutMs !== undefined ? { timeoutMs: this.settings.timeoutMs } : {}),
        call: (tool, args, context) => this.call(tool, name, args, context),
      });
    });
  }

  /** The transport closed: the process ended (or we closed it). The next call starts it again. */
  private lost(client: Client): void {
    if (this.live?.client !== client) return;
    const stderr = this.live.wire.stderrTail();
    this.live = undefined;
    if (this.state === "closed") return;
    this.state = "stopped";
    this.error = `The server stopped${stderr ? `; its stderr ended with: ${lastLines(stderr)}` : ""}.`;
  }

  private async callFailure(error: unknown, client: Client, tool: string, signal: AbortSignal): Promise<Error> {
    if (signal.aborted) return signal.reason instanceof Error ? signal.reason : new CancelledError(`The call to "${tool}" was cancelled.`);
    const again = isHttpServer(this.settings) ? "it will be reconnected on the next call" : "it will be restarted on the next call";
    if (error instanceof McpError) {
      if (error.code === ErrorCode.ConnectionClosed) {
        this.lost(client);
        return new ToolInfraError(`The MCP server "${this.name}" stopped; ${again}.`, error);
      }
      if (error.code === ErrorCode.RequestTimeout) {
        return new ToolError(
          `The MCP server "${this.name}" did not answer "${tool}" within ${durationText(this.settings.timeoutMs ?? callTimeoutBackstopMs)}, so the call was cancelled. Try a smaller request.`,
        );
      }
      return new ToolError(
        `The MCP server "${this.name}" refused the call to "${tool}":\n${wrapUntrusted(error.message, `mcp:${this.name}`)}`,
      );
    }
    // Anything else is the wire failing: a refused HTTP connection, an expired session, a reply
    // that is not MCP. A fresh connection is the way out, so this one is dropped.
    await this.discard(client);
    return new ToolInfraError(`The MCP server "${this.name}" could not be used (${errorMessage(error)}); ${again}.`, error);
  }

  private async discard(client: Client): Promise<void> {
    const live = this.live;
    if (live?.client !== client) return;
    this.live = undefined;
    if (this.state !== "closed") this.state = "stopped";
    await live.wire.terminate();
    await client.close().catch(logged(log, "debug", "closing a stopped MCP server's client failed"));
  }
}

/** The work's result, or the signal's reason as soon as it aborts (the work itself goes on). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason instanceof Error ? signal.reason : new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new CancelledError());
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
