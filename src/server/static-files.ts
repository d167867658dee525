import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where `vite build` puts the web UI. This module runs from dist/src/server/, the UI is built
 * into dist/web/, so the folder is found the same way from a checkout and from an installed package.
 */
export const webRoot = fileURLToPath(new URL("../../web/", import.meta.url));

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

// The UI shows model output only through React (escaped), and reports in a sandboxed srcdoc frame
// that inherits this policy: reports need inline styles, data: images and a <base target>, never
// scripts. Images in a conversation may be https: URLs the user gave.
const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data: https:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'";

// Vite names every file under assets/ after a hash of its content, so a browser may keep them
// forever; index.html names the current ones and must be checked on every load.
const immutableCache = "public, max-age=31536000, immutable";

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ponder</title></head>
<body><h1>The Ponder web UI is not built</h1>
<p>Run <code>npm run build</code> in the Ponder checkout, then reload this page. The HTTP API under <code>/v1/</code> works without it.</p>
</body></html>`;

/**
 * Answers a GET or HEAD for the web UI: a file of the built UI, or index.html for `/` and for
 * any other path without a file extension (the UI routes in the page itself). A path with an
 * extension that names no file is a 404, so a page asking for an asset of an older build gets an
 * error instead of HTML it would try to run. No path leaves the UI's folder. No key is needed:
 * the files are the same for everyone, and the API calls the page makes carry the key.
 */
export async function serveStaticFile(
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
  root: string = webRoot,
): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    sendText(request, response, 400, "The path is not valid URL encoding.");
    return;
  }
  const relativePath = decoded.replace(/^\/+/, "");
  const candidate = resolve(root, relativePath);
  if (decoded.includes("\0") || !isInside(root, candidate)) {
    sendText(request, response, 404, "Not found.");
    return;
  }
  const file = relativePath === "" ? undefined : await regularFileInside(root, candidate);
  if (file) {
    await sendFile(request, response, file, relativePath.startsWith("assets/") ? immutableCache : "no-cache");
    return;
  }
  if (extname(relativePath) !== "") {
    sendText(request, response, 404, "Not found.");
    return;
  }
  const index = await regularFileInside(root, resolve(root, "index.html"));
  if (!index) {
    sendBody(request, response, 503, "text/html; charset=utf-8", notBuiltPage);
    return;
  }
  await sendFile(request, response, index, "no-cache");
}

/** The file's real path when it is a regular file whose real path stays inside the root (links out are refused). */
async function regularFileInside(root: string, path: string): Promise<string | undefined> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(path)]);
    if (!isInside(realRoot, realFile)) return undefined;
    return (await stat(realFile)).isFile() ? realFile : undefined;
  } catch {
    return undefined;
  }
}

async function sendFile(request: IncomingMessage, response: ServerResponse, path: string, cacheControl: string): Promise<void> {
  const { size } = await stat(path);
  response.writeHead(200, {
    "content-type": contentTypes[extname(path)] ?? "application/octet-stream",
    "content-length": size,
    "cache-control": cacheControl,
    "x-content-type-options": "nosniff",
    "content-security-policy": contentSecurityPolicy,
  });
  if (request.method === "HEAD") {
    response.end();
    return;
  }
  createReadStream(path)
    .on("error", () => response.destroy())
    .pipe(response);
}

function sendText(request: IncomingMessage, response: ServerResponse, status: number, text: string): void {
  sendBody(request, response, status, "text/plain; charset=utf-8", text);
}

function sendBody(request: IncomingMessage, response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
  });
  response.end(request.method === "HEAD" ? undefined : body);
}

function isInside(root: string, path: string): boolean {
  const difference = relative(root, path);
  return difference === "" || (!difference.startsWith("..") && !isAbsolute(difference));
}
