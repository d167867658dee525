import { isIP } from "node:net";

/** A `Host` value split into its name (lower case, IPv6 without brackets) and port, if any. */
export type HostParts = { name: string; port?: number };

const loopbackNames = new Set(["localhost", "127.0.0.1", "::1"]);

// host[:port] and nothing else: no user info, path or spaces that a URL parser would quietly accept.
const hostPattern = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9_.-]+))(?::(\d{1,5}))?$/i;

/** The parts of a `Host` header (or of a configured name); undefined when it is not host[:port]. */
export function parseHost(value: string): HostParts | undefined {
  const match = hostPattern.exec(value.trim());
  if (!match) return undefined;
  const bracketed = match[1];
  if (bracketed !== undefined && isIP(bracketed) !== 6) return undefined;
  const name = (bracketed ?? (match[2] as string)).toLowerCase();
  if (bracketed === undefined && isIP(name) === 6) return undefined;
  const port = match[3] === undefined ? undefined : Number(match[3]);
  if (port !== undefined && port > 65_535) return undefined;
  return port === undefined ? { name } : { name, port };
}

export function isLoopbackName(name: string): boolean {
  return loopbackNames.has(name);
}

/**
 * Which `Host` headers the server answers, so that DNS rebinding (a page of evil.example whose name
 * is made to resolve to 127.0.0.1) fails: the page's requests carry `Host: evil.example:<port>`.
 * Accepted are the loopback names with the server's own port (or none), the names the user allowed
 * (`name` with any port, `name:port` with that one), and, when the server is bound beyond loopback
 * (which needs API keys), any IP address: a page can only rebind a name, never an address.
 */
export class AllowedHosts {
  private readonly names: HostParts[];

  constructor(
    configured: readonly string[],
    private readonly addressesAllowed: boolean,
  ) {
    this.names = configured.map((entry) => {
      const parts = parseHost(entry);
      if (!parts) throw new Error(`Not a host name: ${entry}`);
      return parts;
    });
  }

  /** Whether a request that reached the server's `port` with this `Host` header may be answered. */
  allows(header: string | undefined, port: number): boolean {
    if (header === undefined) return false;
    const host = parseHost(header);
    if (!host) return false;
    if (isLoopbackName(host.name)) return host.port === undefined || host.port === port;
    if (this.addressesAllowed && isIP(host.name) !== 0) return true;
    return this.names.some((allowed) => allowed.name === host.name && (allowed.port === undefined || allowed.port === host.port));
  }
}

/** Checks the `--allowed-host` values and config entries up front, with a message naming the bad one. */
export function invalidHostNames(entries: readonly string[]): string[] {
  return entries.filter((entry) => parseHost(entry) === undefined);
}
