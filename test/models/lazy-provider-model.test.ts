import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import type { LanguageModelV3, LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { lazyProviderModel } from "../../src/models/lazy-provider-model.js";

const callOptions = { prompt: [] } as unknown as LanguageModelV3CallOptions;

describe("lazyProviderModel", () => {
  it("loads the provider's model at the first call, once, and passes every call to it", async () => {
    let loads = 0;
    const calls: string[] = [];
    const real = {
      specificationVersion: "v3",
      provider: "openai.responses",
      modelId: "o4-mini",
      supportedUrls: { "image/*": [/^https:/] },
      doGenerate: async () => {
        calls.push("generate");
        return { content: [] };
      },
      doStream: async () => {
        calls.push("stream");
        return { stream: new ReadableStream() };
      },
    } as unknown as LanguageModelV3;
    const model = lazyProviderModel("openai.responses", "o4-mini", async () => {
      loads++;
      return real;
    });
    assert.deepEqual([model.provider, model.modelId, loads], ["openai.responses", "o4-mini", 0], "known before loading");
    await Promise.all([model.doStream(callOptions), model.doGenerate(callOptions)]);
    assert.deepEqual(await model.supportedUrls, real.supportedUrls);
    assert.equal(loads, 1);
    assert.deepEqual(calls.sort(), ["generate", "stream"]);
  });

  it("fails each call with the load's error when the package cannot load", async () => {
    const model = lazyProviderModel("anthropic.messages", "claude", () =>
      Promise.reject(new Error("Cannot find package '@ai-sdk/anthropic'")),
    );
    await assert.rejects(async () => model.doStream(callOptions), /Cannot find package '@ai-sdk\/anthropic'/);
    await assert.rejects(async () => model.doGenerate(callOptions), /Cannot find package '@ai-sdk\/anthropic'/);
  });

  it("keeps the provider packages (and undici) out of a process until a model of theirs is called", () => {
    // A fresh process resolves one model of each kind, then lists the @ai-sdk packages it loaded.
    const script = `
      const { createRequire } = await import("node:module");
      const { resolveModel } = await import(${JSON.stringify(new URL("../../src/models/resolve-model.js", import.meta.url).href)});
      resolveModel("openai:o4-mini", { openai: { apiKey: "k" } });
      resolveModel("anthropic:claude-sonnet-4-5", { anthropic: { apiKey: "k" } });
      resolveModel("compat:m", { compat: { baseURL: "http://127.0.0.1:9/v1", client: "ai-sdk" } });
      const before = loaded();
      const model = resolveModel("anthropic:claude-sonnet-4-5", { anthropic: { apiKey: "k", baseURL: "http://127.0.0.1:9/v1" } });
      await model.stream({ items: [], tools: [], signal: AbortSignal.timeout(5000) }).next().catch(() => undefined);
      console.log(JSON.stringify({ before, after: loaded() }));
      function loaded() {
        // undici is CommonJS: it is in require's cache once loaded, with no wait for the loader's messages.
        const undici = Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes("/node_modules/undici/")) ? ["undici"] : [];
        return [...new Set([...undici, ...globalThis.loadedUrls.flatMap((url) => /node_modules\\/(@ai-sdk\\/[^/]+)/.exec(url)?.[1] ?? [])])].sort();
      }`;
    const hooks = `export async function load(url, context, next) { globalThis.port?.postMessage(url); return next(url, context); }
      export function initialize({ port }) { globalThis.port = port; }`;
    const register = `
      import { register } from "node:module";
      import { MessageChannel } from "node:worker_threads";
      const { port1, port2 } = new MessageChannel();
      globalThis.loadedUrls = [];
      port1.on("message", (url) => globalThis.loadedUrls.push(url));
      port1.unref();
      register("data:text/javascript,${encodeURIComponent(hooks)}", { data: { port: port2 }, transferList: [port2] });`;
    const output = execFileSync(
      process.execPath,
      ["--import", `data:text/javascript,${encodeURIComponent(register)}`, "--input-type=module", "-e", script],
      { encoding: "utf8" },
    );
    const { before, after } = JSON.parse(output.trim().split("\n").at(-1) as string) as { before: string[]; after: string[] };
    assert.deepEqual(
      before.filter((name) => name !== "@ai-sdk/provider"),
      [],
      "resolving models imports no provider package, nor undici",
    );
    assert.ok(after.includes("@ai-sdk/anthropic"), `calling the model imports its package (loaded: ${after.join(", ")})`);
    assert.ok(after.includes("undici"), "and undici, for the timed fetch the package is given");
    assert.ok(!after.includes("@ai-sdk/openai"), "only the package of the model called");
  });
});
