import { ToolError } from "../../core/errors.js";

const localHost = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?([/?#]|$)/i;

/**
 * The URL the browser may open: http and https, file only when the user allowed it (a file URL
 * can read any local file, secrets included). An address without a scheme gets https, or http
 * for this machine, as a browser's address bar would.
 */
export function checkUrl(input: string, allowFileUrls: boolean): string {
  const trimmed = input.trim();
  const withScheme =
    /^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !/^[^:/]+:\d/.test(trimmed)
      ? trimmed
      : `${localHost.test(trimmed) ? "http" : "https"}://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ToolError(`"${input}" is not a valid URL. Give a full address such as https://example.com/page.`);
  }
  if (url.protocol === "http:" || url.protocol === "https:") return url.href;
  if (url.protocol === "file:") {
    if (allowFileUrls) return url.href;
    throw new ToolError(
      "Opening local files (file://) is turned off, because a file URL can read any file on this machine, secrets included. Open http or https pages; to read files in the workspace, use the file or Python tools.",
    );
  }
  throw new ToolError(`The browser only opens http and https addresses, not ${url.protocol} URLs.`);
}
