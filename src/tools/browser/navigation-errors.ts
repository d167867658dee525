// Chromium reports a failed navigation as `net::ERR_...`; the model gets a sentence that says
// what it means and what to try instead.
import { ToolError } from "../../core/errors.js";

const explanations: Record<string, (url: string) => string> = {
  ERR_NAME_NOT_RESOLVED: (url) =>
    `The host name in ${url} could not be found. Check the spelling; if it is right, this machine may have no internet access.`,
  ERR_CONNECTION_REFUSED: (url) => `Nothing answered at ${url} (connection refused): the server is down, or the address or port is wrong.`,
  ERR_CONNECTION_TIMED_OUT: (url) => `Connecting to ${url} timed out: the server is unreachable from here.`,
  ERR_TIMED_OUT: (url) => `Loading ${url} timed out: the server is unreachable or too slow.`,
  ERR_ADDRESS_UNREACHABLE: (url) => `The address of ${url} cannot be reached from this machine.`,
  ERR_INTERNET_DISCONNECTED: () => "This machine has no internet connection, so web pages cannot be opened.",
  ERR_CONNECTION_RESET: (url) => `The server at ${url} dropped the connection. Try again once; if it fails again, try another source.`,
  ERR_CONNECTION_CLOSED: (url) => `The server at ${url} closed the connection without an answer.`,
  ERR_EMPTY_RESPONSE: (url) => `The server at ${url} sent an empty answer.`,
  ERR_TOO_MANY_REDIRECTS: (url) => `${url} redirects in a loop, so it cannot be opened.`,
  ERR_UNSAFE_PORT: (url) => `Browsers refuse to connect to the port in ${url} (it belongs to another protocol).`,
  ERR_FILE_NOT_FOUND: (url) => `There is no file at ${url}.`,
  ERR_ABORTED: (url) =>
    `Loading ${url} was cancelled by the browser; the address may be a file download rather than a page. Fetch files with a web or Python tool instead.`,
  ERR_BLOCKED_BY_CLIENT: (url) => `The browser refused to load ${url}.`,
};

/** A ToolError for a navigation that failed, or undefined when the error is not a navigation failure. */
export function navigationFailure(error: unknown, url: string, timeoutMs: number): ToolError | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name === "TimeoutError") {
    return new ToolError(
      `The page at ${url} did not load within ${Math.round(timeoutMs / 1000)} s. The site may be slow or down; try again later or use another source.`,
    );
  }
  if (/Download is starting/i.test(error.message)) {
    return new ToolError(`${url} is a file download, not a page. Fetch files with a web or Python tool instead.`);
  }
  const code = /net::(ERR_[A-Z_]+)/.exec(error.message)?.[1];
  if (!code) return undefined;
  const explain = explanations[code] ?? (code.startsWith("ERR_CERT_") || code.startsWith("ERR_SSL_") ? certificateProblem : undefined);
  return new ToolError(explain ? explain(url) : `Could not open ${url} (${code}).`);
}

function certificateProblem(url: string): string {
  return `The secure connection to ${url} failed (its certificate or TLS setup is not valid), so the page was not opened.`;
}
