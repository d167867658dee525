// A Hugging Face hub on localhost for the download path of `local:` models (HF_ENDPOINT points
// node-llama-cpp at it): the manifest that names a quantisation's GGUF file, and that file's
// bytes, with HEAD and byte ranges as the downloader asks. The bytes are a real model's (the test
// model), so what is downloaded is loaded and answers for real.
import { createReadStream, statSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeModelHub = {
  /** The endpoint to set as HF_ENDPOINT (with its trailing slash). */
  endpoint: string;
  /** Every request's method and path, in order. */
  requests: string[];
  close(): Promise<void>;
};

/** Serves `repository` (`user/model`) with one quantisation `tag`, whose file is `fileName` with `path`'s bytes. */
export async function startFakeModelHub(options: {
  repository: string;
  tag: string;
  fileName: string;
  path: string;
}): Promise<FakeModelHub> {
  const size = statSync(options.path).size;
  const manifestPath = `/v2/${options.repository}/manifests/${options.tag}`;
  const filePath = `/${options.repository}/resolve/main/${options.fileName}`;
  const requests: string[] = [];

  const serveFile = (request: IncomingMessage, response: ServerResponse) => {
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? "");
    const start = range ? Number(range[1]) : 0;
    const end = range?.[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    response.writeHead(range ? 206 : 200, {
      "content-type": "application/octet-stream",
      "content-length": String(end - start + 1),
      "accept-ranges": "bytes",
      ...(range ? { "content-range": `bytes ${start}-${end}/${size}` } : {}),
    });
    if (request.method === "HEAD") response.end();
    else createReadStream(options.path, { start, end }).pipe(response);
  };

  const server = createServer((request, response) => {
    const path = (request.url ?? "").split("?")[0] ?? "";
    requests.push(`${request.method} ${path}`);
    if (path === manifestPath) {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ ggufFile: { rfilename: options.fileName, size } }));
    } else if (path === filePath) {
      serveFile(request, response);
    } else {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: "not found" }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
