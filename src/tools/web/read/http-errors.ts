// What the model reads when a fetch fails: what happened, in words, and what it can do next.
import { ToolError } from "../../../core/errors.js";

export function httpStatusError(url: string, status: number, statusText: string, retryAfter: string | null): ToolError {
  const label = `HTTP ${status}${statusText ? ` ${statusText}` : ""}`;
  if (status === 429) {
    const wait = retryAfterSeconds(retryAfter);
    const advice =
      wait === undefined
        ? "Wait before trying this site again, or use another source."
        : `The site asks to wait ${formatSeconds(wait)} (Retry-After) before trying again; use another source meanwhile.`;
    return new ToolError(`${url} answered ${label}: the site is limiting how often it can be read. ${advice}`);
  }
  if (status === 404 || status === 410) {
    return new ToolError(
      `${url} answered ${label}: there is no page at this address. Check the URL for typos, or search for the page's current address.`,
    );
  }
  if (status === 401 || status === 403) {
    return new ToolError(
      `${url} answered ${label}: the site does not let this page be read without logging in or blocks automated readers. Use another source.`,
    );
  }
  if (status >= 500) {
    const wait = retryAfterSeconds(retryAfter);
    const advice = wait === undefined ? "" : ` It asks to wait ${formatSeconds(wait)} (Retry-After).`;
    return new ToolError(`${url} answered ${label}: the site has a problem on its side.${advice} Try again later or use another source.`);
  }
  return new ToolError(`${url} answered ${label}, so there is no page to read. Check the URL or use another source.`);
}

/** Retry-After is either a number of seconds or an HTTP date. */
export function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  return `${Math.round(seconds / 60)} minutes`;
}

/** A failure below HTTP (DNS, connection, TLS), from the error undici's fetch throws. */
export function networkError(url: string, error: unknown): ToolError {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const code = cause?.code ?? "";
  const host = hostOf(url);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return new ToolError(
      `Could not find the host ${host} (DNS lookup failed). Check the URL for typos; the site may not exist, or there may be no network.`,
    );
  }
  if (code === "ECONNREFUSED")
    return new ToolError(`${host} refused the connection: no web server is answering there. Check the URL or use another source.`);
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE") {
    return new ToolError(`The connection to ${host} was closed before the page arrived. Try again once, or use another source.`);
  }
  if (code === "ENETUNREACH" || code === "EHOSTUNREACH")
    return new ToolError(`${host} cannot be reached from this machine (no route to it). There may be no network; use another source.`);
  if (code.startsWith("ERR_TLS") || code.includes("CERT") || code.startsWith("ERR_SSL")) {
    return new ToolError(`The secure connection to ${host} failed (${code}): its certificate is not trusted. Use another source.`);
  }
  if (code === "UND_ERR_HEADERS_OVERFLOW" || code === "HPE_HEADER_OVERFLOW")
    return new ToolError(`${host} sent response headers too large to read.`);
  const detail = cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new ToolError(`Could not fetch ${url}: ${detail}${code ? ` (${code})` : ""}. Check the URL or use another source.`);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
