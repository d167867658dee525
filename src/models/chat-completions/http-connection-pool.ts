// Kept-alive plain-HTTP connections, by origin, for the model client's own HTTP/1.1 exchanges
// (plain-http-exchange.ts). An idle connection is closed before the server would close it:
// after the server's `Keep-Alive: timeout=N` hint less a second, or after 4 s without a hint
// (undici's defaults), so a request rarely meets a connection the server is closing; one that
// does is sent again on a new connection by the exchange.
//
// Each connection has its listeners for life and hands its events to the exchange using it:
// a request adds and removes none, and idle connections share one sweeping timer.

import { connect, type Socket } from "node:net";

const defaultIdleMs = 4_000;
const hintMarginMs = 1_000;
const longestIdleMs = 600_000;
// Idle connections are looked at this often; one that would expire before the next look is closed now.
const sweepIntervalMs = 250;
// As node:http's agent here kept: enough for a fan-out of a thousand runs to keep its connections between turns.
const maxIdlePerOrigin = 2048;

export type Origin = { hostname: string; port: number };

/** The exchange a connection is carrying: its socket's events go to it. */
export interface ConnectionUser {
  data(chunk: Buffer): void;
  end(): void;
  fail(error: Error): void;
}

export class PooledConnection {
  user: ConnectionUser | undefined;
  /** Whether an earlier exchange used it: the server may have closed it since. */
  reused = false;
  idleUntil = 0;

  constructor(
    readonly socket: Socket,
    readonly key: string,
    pool: HttpConnectionPool,
  ) {
    socket.setNoDelay(true);
    // A server has nothing to say on an idle connection: bytes then mean it is out of step.
    socket.on("data", (chunk: Buffer) => (this.user ? this.user.data(chunk) : socket.destroy()));
    socket.on("end", () => this.user?.end());
    socket.on("error", (error) => this.user?.fail(error));
    socket.on("close", () => {
      this.user?.fail(
        Object.assign(new Error("The connection closed before the response ended (socket hang up)."), { code: "ECONNRESET" }),
      );
      pool.forget(this);
    });
  }
}

export class HttpConnectionPool {
  private readonly idle = new Map<string, PooledConnection[]>();
  private sweeper: NodeJS.Timeout | undefined;

  /** An idle connection to the origin (unless `fresh`), or a new one (connecting; writes wait for it), now carrying `user`. */
  take(origin: Origin, user: ConnectionUser, fresh = false): PooledConnection {
    const key = `${origin.hostname}:${origin.port}`;
    const connections = fresh ? undefined : this.idle.get(key);
    for (let connection = connections?.pop(); connection; connection = connections?.pop()) {
      if (connection.socket.destroyed || !connection.socket.writable) continue;
      connection.reused = true;
      connection.user = user;
      connection.socket.ref();
      return connection;
    }
    const connection = new PooledConnection(connect({ host: origin.hostname, port: origin.port }), key, this);
    connection.user = user;
    return connection;
  }

  /** Keeps a connection whose exchange ended cleanly, for the next request to its origin. */
  release(connection: PooledConnection, keepAliveHeader: string | undefined): void {
    connection.user = undefined;
    const idleMs = idleMsOf(keepAliveHeader);
    let connections = this.idle.get(connection.key);
    if (idleMs <= 0 || connection.socket.destroyed || (connections?.length ?? 0) >= maxIdlePerOrigin) {
      connection.socket.destroy();
      return;
    }
    connection.idleUntil = Date.now() + idleMs;
    if (!connections) this.idle.set(connection.key, (connections = []));
    connections.push(connection);
    // An idle connection does not keep the process alive.
    connection.socket.unref();
    if (!this.sweeper) {
      this.sweeper = setInterval(() => this.sweep(), sweepIntervalMs);
      this.sweeper.unref();
    }
  }

  /** Drops a connection from the idle ones (it closed). */
  forget(connection: PooledConnection): void {
    const connections = this.idle.get(connection.key);
    const index = connections?.indexOf(connection) ?? -1;
    if (connections && index !== -1) connections.splice(index, 1);
    if (connections?.length === 0) this.idle.delete(connection.key);
  }

  private sweep(): void {
    const soon = Date.now() + sweepIntervalMs;
    for (const connections of this.idle.values()) {
      // Closing makes each forget itself (on "close"), which edits the list: close from a copy.
      for (const connection of connections.filter((candidate) => candidate.idleUntil <= soon)) connection.socket.destroy();
    }
    if (this.idle.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }
}

/** How long to keep a connection idle: the server's hint less a margin, else the default; 0 or less to close it now. */
export function idleMsOf(keepAliveHeader: string | undefined): number {
  const hint = keepAliveHeader && /(?:^|[\s,])timeout=(\d+)/i.exec(keepAliveHeader)?.[1];
  if (!hint) return defaultIdleMs;
  return Math.min(longestIdleMs, Number(hint) * 1000 - hintMarginMs);
}
