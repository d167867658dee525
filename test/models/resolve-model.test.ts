import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, ModelNotConfiguredError } from "../../src/core/errors.js";
import { parseModelId, resolveModel } from "../../src/models/resolve-model.js";
import { startFakeOpenAIServer } from "../support/fake-openai-server.js";
import { drain, modelRequest } from "./turn-helpers.js";

describe("resolveModel", () => {
  it("splits the id at the first colon", () => {
    assert.deepEqual(parseModelId("ollama:qwen3:8b"), { provider: "ollama", modelName: "qwen3:8b" });
    assert.deepEqual(parseModelId("openai:o4-mini"), { provider: "openai", modelName: "o4-mini" });
    assert.deepEqual(parseModelId("openrouter:qwen/qwen3-32b:free"), { provider: "openrouter", modelName: "qwen/qwen3-32b:free" });
  });

  it("rejects ids that are not provider:model, suggesting the fix", () => {
    assert.throws(
      () => parseModelId("gpt-4o"),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /write it as provider:model\. Did you mean openai:gpt-4o/);
        assert.match(error.hint ?? "", /--model provider:model.*PONDER_MODEL.*OPENAI_API_KEY.*ponder\.config\.json/s);
        return true;
      },
    );
    assert.throws(() => parseModelId("openai:"), ConfigError);
    assert.throws(() => parseModelId(":gpt-4o"), ConfigError);
  });

  it("builds clients with id, provider, model name and capabilities", () => {
    const openai = resolveModel("openai:o4-mini", { openai: { apiKey: "k" } });
    assert.deepEqual([openai.id, openai.provider, openai.modelName], ["openai:o4-mini", "openai", "o4-mini"]);
    assert.deepEqual(openai.capabilities, { vision: true, reasoning: true });
    assert.deepEqual(resolveModel("openai:gpt-4o", { openai: { apiKey: "k" } }).capabilities, { vision: true, reasoning: false });
    assert.deepEqual(resolveModel("openai:o3-mini", { openai: { apiKey: "k" } }).capabilities, { vision: false, reasoning: true });
    assert.deepEqual(resolveModel("openai:gpt-5-chat-latest", { openai: { apiKey: "k" } }).capabilities.reasoning, false);
    assert.deepEqual(resolveModel("anthropic:claude-3-5-haiku-latest", { anthropic: { apiKey: "k" } }).capabilities, {
      vision: true,
      reasoning: false,
    });
    assert.equal(resolveModel("anthropic:claude-3-7-sonnet-latest", { anthropic: { apiKey: "k" } }).capabilities.reasoning, true);
    assert.deepEqual(resolveModel("ollama:qwen2.5vl:7b").capabilities, { vision: true, reasoning: false });
    assert.deepEqual(resolveModel("ollama:llama3.1:8b").capabilities, { vision: false, reasoning: false });
  });

  it("lets settings override capabilities per model id", () => {
    const client = resolveModel("compat:my-finetune", {
      compat: { baseURL: "http://127.0.0.1:8000/v1" },
      capabilities: { "compat:my-finetune": { vision: true, reasoning: true } },
    });
    assert.deepEqual(client.capabilities, { vision: true, reasoning: true });
  });

  it("says how to fix a missing key", () => {
    assert.throws(
      () => resolveModel("openai:gpt-4o", {}),
      (error: unknown) => {
        assert.ok(error instanceof ModelNotConfiguredError);
        assert.match(error.message, /No API key is configured for openai/);
        assert.match(error.hint ?? "", /OPENAI_API_KEY/);
        assert.match(error.hint ?? "", /ponder\.config\.json/);
        return true;
      },
    );
    assert.throws(() => resolveModel("anthropic:claude-sonnet-4-5", { openai: { apiKey: "k" } }), /ANTHROPIC_API_KEY/);
  });

  it("says how to fix an unknown provider or a compat provider without a base URL", () => {
    assert.throws(
      () => resolveModel("mistral:large", { providers: { openrouter: { baseURL: "http://x/v1" } } }),
      (error: unknown) => {
        assert.ok(error instanceof ModelNotConfiguredError);
        assert.match(error.message, /Unknown model provider "mistral".*openai, anthropic, ollama, compat, scripted, openrouter/);
        assert.match(error.hint ?? "", /"providers": \{ "mistral": \{ "baseURL"/);
        return true;
      },
    );
    assert.throws(() => resolveModel("compat:model", {}), /needs an OpenAI-compatible base URL/);
    assert.throws(() => resolveModel("vllm:model", { providers: { vllm: {} } }), /"vllm" \(for vllm:model\) has no baseURL/);
  });
});

describe("resolveModel and the environment", () => {
  it("passes explicit settings, so the variables the provider packages read cannot override them", async () => {
    const server = await startFakeOpenAIServer([{ text: "explicit wins" }]);
    const saved = { key: process.env.OPENAI_API_KEY, url: process.env.OPENAI_BASE_URL };
    process.env.OPENAI_API_KEY = "key-from-environment";
    process.env.OPENAI_BASE_URL = "http://127.0.0.1:9/v1";
    try {
      const client = resolveModel("openai:gpt-4o", { openai: { apiKey: "explicit-key", baseURL: server.baseURL } });
      assert.equal((await drain(client.stream(modelRequest()))).text, "explicit wins");
      assert.equal(server.requests[0]?.headers.authorization, "Bearer explicit-key");
      assert.throws(() => resolveModel("openai:gpt-4o", {}), ModelNotConfiguredError, "settings, not the environment, decide");
    } finally {
      for (const [name, value] of [
        ["OPENAI_API_KEY", saved.key],
        ["OPENAI_BASE_URL", saved.url],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await server.close();
    }
  });
});
