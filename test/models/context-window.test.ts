import { test } from "node:test";
import assert from "node:assert/strict";
import { contextWindowOf, defaultContextWindow, knownContextWindow, usableInputTokens } from "../../src/models/context-window.js";
import { configSchema } from "../../src/config/config-schema.js";

const client = (id: string, contextWindow?: { tokens: number; maxOutputTokens: number }) => {
  const [provider = "", ...rest] = id.split(":");
  return { id, provider, modelName: rest.join(":"), ...(contextWindow && { contextWindow }) };
};

test("a model's window: the client's own, then config, then the table, then a conservative default", () => {
  assert.deepEqual(contextWindowOf(client("local:model.gguf", { tokens: 8_192, maxOutputTokens: 2_048 })), {
    tokens: 8_192,
    maxOutputTokens: 2_048,
    source: "client",
  });
  assert.equal(contextWindowOf(client("openai:gpt-4o"), { contextWindow: 32_000 }).tokens, 32_000);
  assert.equal(contextWindowOf(client("openai:gpt-4o"), { contextWindow: 32_000 }).source, "config");
  assert.deepEqual(contextWindowOf(client("anthropic:claude-sonnet-4-5")), { tokens: 200_000, maxOutputTokens: 64_000, source: "table" });
  assert.equal(knownContextWindow("gpt-5-mini")?.tokens, 400_000);
  assert.equal(knownContextWindow("qwen3:8b")?.tokens, 32_768);
  assert.equal(knownContextWindow("SmolLM2-135M-Instruct")?.tokens, 8_192);
  assert.deepEqual(contextWindowOf(client("compat:my-finetune")), { ...defaultContextWindow, source: "default" });
  assert.equal(contextWindowOf(client("ollama:qwen3:8b"), { contextWindow: 8_192, maxOutputTokens: 1_000 }).maxOutputTokens, 1_000);
});

test("the usable window keeps the output limit free, but never more than a quarter of the window", () => {
  assert.equal(usableInputTokens({ tokens: 128_000, maxOutputTokens: 16_384, source: "table" }), 111_616);
  assert.equal(usableInputTokens({ tokens: 8_192, maxOutputTokens: 8_192, source: "config" }), 6_144);
});

test("config context: a bad share or a compactTo not below compactAt is refused, naming the field", () => {
  assert.equal(
    configSchema.safeParse({ context: { compactAt: 0.8, compactTo: 0.5, models: { "ollama:qwen3:8b": { contextWindow: 8192 } } } }).success,
    true,
  );
  const high = configSchema.safeParse({ context: { compactAt: 1.5 } });
  assert.equal(high.success, false);
  assert.deepEqual(high.error?.issues[0]?.path, ["context", "compactAt"]);
  const crossed = configSchema.safeParse({ context: { compactAt: 0.5, compactTo: 0.6 } });
  assert.deepEqual(crossed.error?.issues[0]?.path, ["context", "compactTo"]);
  assert.equal(configSchema.safeParse({ context: { models: { "openai:x": { contextWindow: 0 } } } }).success, false);
});
