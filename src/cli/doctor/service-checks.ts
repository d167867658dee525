// Reachability of the shared services, over a raw TCP socket so that doctor needs no client
// library: Redis answers PING, PostgreSQL answers the SSL negotiation request of its protocol.

import { Socket } from "node:net";
import type { DoctorResult } from "./doctor-check.js";

const timeoutMs = 3000;

type Endpoint = { host: string; port: number; password?: string; source: string };

/** REDIS_URL (`redis://[user:password@]host:port`) or 127.0.0.1:6379. */
export function redisEndpoint(env: Record<string, string | undefined>): Endpoint {
  return endpointOf(env.REDIS_URL, 6379, "REDIS_URL");
}

/** DATABASE_URL (`postgres://user:password@host:port/db`) or 127.0.0.1:5432. */
export function postgresEndpoint(env: Record<string, string | undefined>): Endpoint {
  return endpointOf(env.DATABASE_URL, 5432, "DATABASE_URL");
}

function endpointOf(url: string | undefined, defaultPort: number, variable: string): Endpoint {
  if (!url) return { host: "127.0.0.1", port: defaultPort, source: "default address" };
  const parsed = new URL(url);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1",
    port: parsed.port ? Number(parsed.port) : defaultPort,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    source: variable,
  };
}

export async function redisCheck(env: Record<string, string | undefined>): Promise<DoctorResult> {
  const check = "Redis (queue across machines)";
  const endpoint = redisEndpoint(env);
  const where = `${endpoint.host}:${endpoint.port} (${endpoint.source})`;
  const fix = "Only needed to spread work over machines. Start Redis (sudo apt-get install redis-server) or set REDIS_URL.";
  try {
    // RESP arrays, so a password with spaces is sent intact.
    const command = (...parts: string[]) =>
      `*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join("")}`;
    const request = (endpoint.password ? command("AUTH", endpoint.password) : "") + command("PING");
    const reply = await exchange(endpoint, request, (received) => received.includes("PONG") || received.startsWith("-"));
    if (reply.includes("+PONG")) return { check, ok: true, required: false, detail: `${where} answered PONG`, fix: "" };
    return {
      check,
      ok: false,
      required: false,
      detail: `${where} answered: ${reply.trim().split("\r\n")[0]}`,
      fix: "Check the password in REDIS_URL.",
    };
  } catch (error) {
    return { check, ok: false, required: false, detail: `${where}: ${(error as Error).message}`, fix };
  }
}

export async function postgresCheck(env: Record<string, string | undefined>): Promise<DoctorResult> {
  const check = "PostgreSQL (shared run store)";
  const endpoint = postgresEndpoint(env);
  const where = `${endpoint.host}:${endpoint.port} (${endpoint.source})`;
  const fix = "Only needed for a run store shared by machines. Start PostgreSQL (sudo apt-get install postgresql) or set DATABASE_URL.";
  // SSLRequest: length 8, code 80877103. A PostgreSQL server answers with one byte, S or N.
  const sslRequest = Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]);
  try {
    const reply = await exchange(endpoint, sslRequest, (received) => received.length >= 1);
    if (reply === "S" || reply === "N") {
      return { check, ok: true, required: false, detail: `${where} speaks the PostgreSQL protocol`, fix: "" };
    }
    return { check, ok: false, required: false, detail: `${where} answered, but not as PostgreSQL does`, fix };
  } catch (error) {
    return { check, ok: false, required: false, detail: `${where}: ${(error as Error).message}`, fix };
  }
}

/** Connects, sends, and collects the reply until `complete` says it is enough. */
function exchange(endpoint: Endpoint, request: string | Buffer, complete: (received: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let received = "";
    const finish = (error?: Error) => {
      socket.destroy();
      if (error) reject(error);
      else resolve(received);
    };
    socket.setTimeout(timeoutMs, () => finish(new Error(`no answer within ${timeoutMs / 1000} s`)));
    socket.on("error", (error: NodeJS.ErrnoException) =>
      finish(new Error(error.code === "ECONNREFUSED" ? "connection refused (nothing listens there)" : error.message)),
    );
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      if (complete(received)) finish();
    });
    socket.on("end", () => finish(received === "" ? new Error("the server closed the connection without answering") : undefined));
    socket.connect(endpoint.port, endpoint.host, () => socket.write(request));
  });
}
