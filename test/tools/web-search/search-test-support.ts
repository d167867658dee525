// Helpers for the web_search tests: a real HTTP server on 127.0.0.1 that answers like a search
// service (the test scripts each answer), a folder of documents, and a ToolContext to call the tool.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { RunResources } from "../../../src/tools/run-resources.js";
import { defaultSandboxSettings, type Tool, type ToolContext, type ToolOutput } from "../../../src/tools/tool.js";

export type ReceivedRequest = { method: string; path: string; query: URLSearchParams; headers: IncomingHttpHeaders; body: unknown };

export type FakeAnswer = { status?: number; headers?: Record<string, string>; body?: unknown; delayMs?: number };

export type FakeSearchServer = { url: string; requests: ReceivedRequest[]; close: () => Promise<void> };

export async function startFakeSearchServer(answer: (request: ReceivedRequest, index: number) => FakeAnswer): Promise<FakeSearchServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", "http://fake");
      const text = Buffer.concat(chunks).toString("utf8");
      const received: ReceivedRequest = {
        method: request.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: request.headers,
        body: text ? JSON.parse(text) : undefined,
      };
      const index = requests.push(received) - 1;
      const reply = answer(received, index);
      const send = () => {
        if (response.destroyed) return;
        const body = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body ?? {});
        response.writeHead(reply.status ?? 200, {
          "content-type": typeof reply.body === "string" ? "text/html" : "application/json",
          ...reply.headers,
        });
        response.end(body);
      };
      if (reply.delayMs) {
        const timer = setTimeout(send, reply.delayMs);
        response.on("close", () => clearTimeout(timer));
      } else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A temporary folder with the given files (relative path → content); remove() deletes it. */
export function documentFolder(files: Record<string, string | Uint8Array>): {
  path: string;
  write: (name: string, content: string | Uint8Array) => string;
  remove: () => void;
} {
  const root = mkdtempSync(join(tmpdir(), "ponder-docs-"));
  const write = (name: string, content: string | Uint8Array) => {
    const path = join(root, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    return path;
  };
  for (const [name, content] of Object.entries(files)) write(name, content);
  return { path: root, write, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Calls a tool as the loop would, with a fresh context. */
export async function callTool<Args>(
  tool: Tool<Args>,
  args: unknown,
  signal: AbortSignal = new AbortController().signal,
): Promise<ToolOutput> {
  const resources = new RunResources();
  const context: ToolContext = {
    model: { id: "test:model", vision: false },
    signal,
    runId: "run_test",
    callId: "call_test",
    workspace: tmpdir(),
    resources,
    sandbox: defaultSandboxSettings,
  };
  try {
    return await tool.run(tool.parameters.parse(args), context);
  } finally {
    await resources.closeAll();
  }
}

export function textOf(output: ToolOutput): string {
  return typeof output.content === "string"
    ? output.content
    : output.content.map((part) => (part.type === "input_image" ? "[image]" : part.text)).join("\n");
}
