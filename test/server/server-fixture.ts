import OpenAI from "openai";
import { startFakeOpenAIServer, type FakeOpenAIServer, type FakeServerOptions } from "../support/fake-openai-server.js";
import { temporaryHome } from "../support/temporary-home.js";
import { startPonderServer, type PonderServer } from "../../src/server/ponder-server.js";
import { ApiKeyStore } from "../../src/server/api-keys.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export type ServerFixture = {
  server: PonderServer;
  model: FakeOpenAIServer;
  home: string;
  /** The official OpenAI client pointed at Ponder. */
  client(apiKey?: string): OpenAI;
  /** A raw request to Ponder; the body is JSON-encoded unless it is a string. */
  request(method: string, path: string, options?: { body?: unknown; key?: string; headers?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
};

/**
 * Ponder's server on a random port in a temporary PONDER_HOME, with the fake model server as
 * its OpenAI provider. `tenants` creates one API key per name before the server starts.
 */
export async function startServerFixture(
  turns: FakeServerOptions,
  options: { tenants?: string[]; models?: string[]; config?: unknown } = {},
): Promise<ServerFixture & { keys: Record<string, string> }> {
  const model = await startFakeOpenAIServer(turns);
  const home = temporaryHome();
  const keys: Record<string, string> = {};
  if (options.tenants) {
    const store = new ApiKeyStore(join(home.path, "ponder.db"));
    for (const tenant of options.tenants) keys[tenant] = store.create(tenant).key;
    store.close();
  }
  if (options.config !== undefined) writeFileSync(join(home.path, "ponder.config.json"), JSON.stringify(options.config));
  const env = { PONDER_HOME: home.path, OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: model.baseURL, PONDER_MODEL: "openai:gpt-5-mini" };
  const server = await startPonderServer({ port: 0, host: "127.0.0.1", env, cwd: home.path, models: options.models });
  return {
    server,
    model,
    home: home.path,
    keys,
    client: (apiKey = "no-key") => new OpenAI({ baseURL: `${server.url}/v1`, apiKey, maxRetries: 0 }),
    request: (method, path, requestOptions = {}) =>
      fetch(`${server.url}${path}`, {
        method,
        headers: {
          ...(requestOptions.body !== undefined ? { "content-type": "application/json" } : {}),
          ...(requestOptions.key ? { authorization: `Bearer ${requestOptions.key}` } : {}),
          ...requestOptions.headers,
        },
        ...(requestOptions.body !== undefined
          ? { body: typeof requestOptions.body === "string" ? requestOptions.body : JSON.stringify(requestOptions.body) }
          : {}),
      }),
    close: async () => {
      await server.close();
      await model.close();
      home.remove();
    },
  };
}

/** Server-sent events of a response, parsed: `{ id, event, data }` each. */
export async function readEvents(response: Response): Promise<{ id?: string; event?: string; data: string }[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const fields: { id?: string; event?: string; data: string } = { data: "" };
      for (const line of block.split("\n")) {
        const colon = line.indexOf(": ");
        const [name, value] = colon === -1 ? [line, ""] : [line.slice(0, colon), line.slice(colon + 2)];
        if (name === "id") fields.id = value;
        else if (name === "event") fields.event = value;
        else if (name === "data") fields.data += value;
      }
      return fields;
    });
}

/** Polls until `check` passes; the test's own timeout bounds it. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
