// Fetches one URL the way a careful reader would: http(s) only, redirects followed by hand (at
// most `maxRedirects`, loops caught), the body streamed and cut at `maxBytes` so a huge page
// never sits whole in memory, and everything under one timeout that also covers the body.
import { ToolError } from "../../../core/errors.js";
import { httpStatusError, networkError } from "./http-errors.js";
import { logged, logger } from "../../../logging/logger.js";

const log = logger("tools.web");

export type FetchSettings = {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
};

export type FetchedPage = {
  /** The URL the content came from, after redirects. */
  url: string;
  /** The URLs that redirected here, in order. */
  redirectedFrom: string[];
  /** The Content-Type header as sent (may be empty). */
  contentType: string;
  bytes: Uint8Array;
  /** True when the body was longer than `maxBytes` and was cut there. */
  truncated: boolean;
  /** The declared size (Content-Length), when the server sent one. */
  declaredBytes?: number;
};

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

const accept = "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.9,application/json;q=0.8,text/csv;q=0.8,*/*;q=0.5";

/** The URL as it will be fetched (no fragment), or a ToolError saying why it cannot be. */
export function checkWebUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ToolError(`"${raw}" is not a valid URL. Give a full address such as https://example.com/page.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    const hint = url.protocol === "file:" ? " To read files in the run's workspace, use read_file." : "";
    throw new ToolError(`read_page reads only http and https URLs, not ${url.protocol}.${hint}`);
  }
  url.hash = "";
  return url;
}

/** What is known once the headers arrive; a check may throw to skip downloading the body. */
export type ResponseHead = { url: string; contentType: string; declaredBytes?: number };

export async function fetchPage(
  start: URL,
  settings: FetchSettings,
  signal: AbortSignal,
  checkHead: (head: ResponseHead) => void = () => undefined,
): Promise<FetchedPage> {
  signal.throwIfAborted();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException("The page took too long.", "TimeoutError"));
  }, settings.timeoutMs);
  const onAbort = () => controller.abort(signal.reason);
  signal.addEventListener("abort", onAbort, { once: true });
  let current = start.href;
  try {
    const visited = [current];
    for (;;) {
      const response = await fetch(current, {
        redirect: "manual",
        signal: controller.signal,
        headers: { "user-agent": settings.userAgent, accept, "accept-language": "en;q=1.0, *;q=0.5" },
      }).catch((error: unknown) => {
        throw signal.aborted || timedOut ? error : networkError(current, error);
      });
      if (redirectStatuses.has(response.status)) {
        await response.body?.cancel().catch(logged(log, "debug", "cancelling a page's unread body failed"));
        current = nextLocation(current, response.headers.get("location"), visited, settings.maxRedirects);
        visited.push(current);
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel().catch(logged(log, "debug", "cancelling a page's unread body failed"));
        throw httpStatusError(current, response.status, response.statusText, response.headers.get("retry-after"));
      }
      const declared = Number(response.headers.get("content-length"));
      const head: ResponseHead = {
        url: current,
        contentType: response.headers.get("content-type") ?? "",
        ...(Number.isFinite(declared) && declared > 0 ? { declaredBytes: declared } : {}),
      };
      try {
        checkHead(head);
      } catch (error) {
        await response.body?.cancel().catch(logged(log, "debug", "cancelling a page's unread body failed"));
        throw error;
      }
      const { bytes, truncated } = await readCapped(response, settings.maxBytes);
      return { ...head, redirectedFrom: visited.slice(0, -1), bytes, truncated };
    }
  } catch (error) {
    if (signal.aborted) throw signal.reason ?? error;
    if (timedOut) {
      const seconds = Number((settings.timeoutMs / 1000).toFixed(1));
      throw new ToolError(
        `${current} did not finish loading within ${seconds} s. The site is slow or not answering; try again later or use another source.`,
      );
    }
    if (error instanceof ToolError) throw error;
    throw networkError(current, error);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
  }
}

function nextLocation(current: string, location: string | null, visited: string[], maxRedirects: number): string {
  if (!location) throw new ToolError(`${current} answered with a redirect but did not say where to. Use another source.`);
  let next: URL;
  try {
    next = new URL(location, current);
  } catch {
    throw new ToolError(`${current} redirects to an invalid address (${location}). Use another source.`);
  }
  if (next.protocol !== "http:" && next.protocol !== "https:") {
    throw new ToolError(`${current} redirects to ${next.protocol} (${next.href}), which read_page cannot follow.`);
  }
  next.hash = "";
  if (visited.includes(next.href)) {
    const loop = [...visited.slice(visited.indexOf(next.href)), next.href].join(" → ");
    throw new ToolError(
      `${visited[0]} redirects in a loop (${loop}), so it has no page to read. The site may need cookies or a browser; use another source.`,
    );
  }
  if (visited.length > maxRedirects) {
    throw new ToolError(
      `${visited[0]} redirected more than ${maxRedirects} times without reaching a page (last: ${current}). Use another source.`,
    );
  }
  return next.href;
}

async function readCapped(response: Response, maxBytes: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  if (!response.body) return { bytes: new Uint8Array(0), truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (total + value.byteLength > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - total));
      total = maxBytes;
      truncated = true;
      // Stops the download: the rest of the body is never received.
      await reader.cancel().catch(logged(log, "debug", "stopping a page's download failed"));
      break;
    }
    chunks.push(value);
    total += value.byteLength;
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes, truncated };
}
