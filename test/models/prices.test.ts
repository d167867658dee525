import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { costOf, priceOf } from "../../src/models/prices.js";

const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000, reasoningTokens: 0, cachedInputTokens: 0 };

describe("prices", () => {
  it("prices input, cached input and output per million tokens", () => {
    assert.deepEqual(costOf("openai:gpt-4o", usage), { costUsd: 12.5, known: true });
    const cached = costOf("openai:gpt-4o", { ...usage, cachedInputTokens: 400_000 });
    assert.equal(cached.costUsd, 0.6 * 2.5 + 0.4 * 1.25 + 10);
    assert.deepEqual(costOf("anthropic:claude-sonnet-4-5", { ...usage, inputTokens: 2_000, outputTokens: 1_000 }), {
      costUsd: (2_000 * 3 + 1_000 * 15) / 1_000_000,
      known: true,
    });
  });

  it("matches dated snapshots and aliases to the longest price key", () => {
    assert.equal(priceOf("openai:gpt-4o-2024-08-06")?.inputPerMillion, 2.5);
    assert.equal(priceOf("openai:gpt-4o-mini-2024-07-18")?.inputPerMillion, 0.15);
    assert.equal(priceOf("openai:gpt-5-mini")?.outputPerMillion, 2);
    assert.equal(priceOf("openai:o3-mini")?.inputPerMillion, 1.1);
    assert.equal(priceOf("anthropic:claude-opus-4-5-20251101")?.inputPerMillion, 5);
    assert.equal(priceOf("anthropic:claude-opus-4-1")?.inputPerMillion, 15);
    assert.equal(priceOf("anthropic:claude-3-7-sonnet-latest")?.outputPerMillion, 15);
    assert.equal(priceOf("anthropic:claude-haiku-4-5")?.inputPerMillion, 1);
    assert.equal(priceOf("openai:gpt-4oops"), undefined, "a prefix must end at a dash");
  });

  it("is free for local providers and unknown for the rest", () => {
    assert.deepEqual(costOf("ollama:qwen3:8b", usage), { costUsd: 0, known: true });
    assert.deepEqual(costOf("scripted:/tmp/script.json", usage), { costUsd: 0, known: true });
    assert.deepEqual(costOf("local:model.gguf", usage), { costUsd: 0, known: true });
    assert.deepEqual(costOf("compat:mystery", usage), { costUsd: 0, known: false });
    assert.deepEqual(costOf("openai:gpt-99", usage), { costUsd: 0, known: false });
  });

  it("takes overrides per model id, and as prefixes", () => {
    const overrides = { "compat:mystery": { inputPerMillion: 1, cachedInputPerMillion: 0.5, outputPerMillion: 2 } };
    assert.deepEqual(costOf("compat:mystery", usage, overrides), { costUsd: 3, known: true });
    const cheaper = { "openai:gpt-4o": { inputPerMillion: 1, cachedInputPerMillion: 1, outputPerMillion: 1 } };
    assert.equal(costOf("openai:gpt-4o-2024-11-20", usage, cheaper).costUsd, 2);
  });
});
