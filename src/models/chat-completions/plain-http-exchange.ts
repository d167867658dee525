// One POST over a kept-alive plain-HTTP connection (a local model server: Ollama, vLLM,
// llama.cpp, LM Studio, or a gateway on the same network), without node:http. The request is
// written in one go; the response is parsed as its bytes arrive and its body pushed to the
// caller in the same turn. node:http's client costs about twice the CPU per request, and its
// response streams put several ticks (and the agent's own bookkeeping) between the last byte
// and the caller: 0.07–0.11 ms of every request proxied through `ponder serve`, measured
// against the build before it in one run (docs/benchmarks.md). HTTPS keeps node:https (http-post.ts).
//
// A request that finds its kept-alive connection closed by the server (nothing came back) is
// sent again once, on a new connection (the other idle ones may be as stale: a restarted
// server), as HTTP clients do for a connection that went stale: the server did not answer it,
// and the request body is at hand.
//
// A new connection has the connect timeout to open; from then on the idle timeout runs between
// the server's bytes (the time to the first one included), restarted by each chunk.

import { abortErrorOf } from "../../core/abort.js";
import { callTimeoutError, type ModelCallTimeouts } from "../model-call-timeouts.js";
import { type ConnectionUser, HttpConnectionPool, type Origin, type PooledConnection } from "./http-connection-pool.js";
import { HttpResponseParser } from "./http-response-parser.js";
import { closedBeforeEnd, type HttpResponse, PushedResponseBody } from "./response-body.js";

const pool = new HttpConnectionPool();
const staleConnectionCodes = new Set(["ECONNRESET", "EPIPE"]);

type Request = { origin: Origin; head: Buffer; body: Buffer; timeouts: ModelCallTimeouts; signal: AbortSignal };
type Settle = { resolve: (response: HttpResponse) => void; reject: (error: unknown) => void };

/** Sends `head` (the request line and headers, ending in a blank line) and `body`; resolves once the response head arrived. */
export function plainPost(
  origin: Origin,
  head: Buffer,
  body: Buffer,
  timeouts: ModelCallTimeouts,
  signal: AbortSignal,
): Promise<HttpResponse> {
  if (signal.aborted) return Promise.reject(abortErrorOf(signal));
  return new Promise((resolve, reject) => new PlainExchange({ origin, head, body, timeouts, signal }, { resolve, reject }, "first"));
}

class PlainExchange implements ConnectionUser {
  private readonly connection: PooledConnection;
  private readonly parser: HttpResponseParser;
  private response: PushedResponseBody | undefined;
  private keepAlive = false;
  private keepAliveHeader: string | undefined;
  private written = false;
  private ended = false;
  /** The connect timer until the connection is open, then the idle timer. */
  private timer: NodeJS.Timeout;
  private readonly onAbort = () => this.fail(abortErrorOf(this.request.signal));

  constructor(
    private readonly request: Request,
    private readonly settle: Settle,
    private readonly attempt: "first" | "retry",
  ) {
    this.parser = new HttpResponseParser({
      head: (head) => {
        this.keepAlive = head.keepAlive;
        this.keepAliveHeader = head.headers["keep-alive"];
        const socket = this.connection.socket;
        this.response = new PushedResponseBody({
          pause: () => socket.pause(),
          resume: () => socket.resume(),
          destroy: () => this.fail(closedBeforeEnd()),
        });
        settle.resolve({ status: head.status, headers: head.headers, body: this.response });
      },
      body: (chunk) => this.response?.deliver(chunk),
    });
    this.connection = pool.take(request.origin, this, attempt === "retry");
    request.signal.addEventListener("abort", this.onAbort, { once: true });
    const socket = this.connection.socket;
    const { connectTimeoutMs, idleTimeoutMs } = request.timeouts;
    const idle = () => this.fail(callTimeoutError("idle", idleTimeoutMs));
    if (socket.connecting) {
      this.timer = setTimeout(() => this.fail(callTimeoutError("connect", connectTimeoutMs)), connectTimeoutMs);
      socket.once("connect", () => {
        clearTimeout(this.timer);
        if (!this.ended) this.timer = setTimeout(idle, idleTimeoutMs);
      });
    } else this.timer = setTimeout(idle, idleTimeoutMs);
    // One writev for the head and the body, without copying the body.
    socket.cork();
    socket.write(request.head);
    socket.write(request.body, (error) => {
      if (!error) this.written = true;
    });
    socket.uncork();
  }

  data(chunk: Buffer): void {
    this.timer.refresh();
    try {
      this.parser.push(chunk);
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    // Only once the bytes at hand are parsed is it known whether more came after the response.
    if (this.parser.done) this.complete();
  }

  end(): void {
    try {
      this.parser.end();
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    this.complete();
  }

  fail(error: Error): void {
    if (this.ended) return;
    this.stop();
    this.connection.socket.destroy();
    const { signal } = this.request;
    const reason = signal.aborted ? abortErrorOf(signal) : error;
    if (this.response) this.response.fail(reason);
    else if (
      this.attempt === "first" &&
      this.connection.reused &&
      !this.parser.started &&
      !signal.aborted &&
      staleConnectionCodes.has((error as { code?: string }).code ?? "")
    ) {
      new PlainExchange(this.request, this.settle, "retry");
    } else this.settle.reject(reason);
  }

  private complete(): void {
    this.stop();
    if (this.keepAlive && this.written && !this.parser.overrun) pool.release(this.connection, this.keepAliveHeader);
    else this.connection.socket.destroy();
    this.response?.finish();
  }

  private stop(): void {
    this.ended = true;
    clearTimeout(this.timer);
    this.connection.user = undefined;
    this.request.signal.removeEventListener("abort", this.onAbort);
  }
}
