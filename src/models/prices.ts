// What a model turn costs. Prices are USD per million tokens, from the providers' public price
// pages (standard tier, no batch discount). Reasoning tokens are billed as output tokens and are
// already counted in `outputTokens`. Input read from a prompt cache costs the cached rate;
// Anthropic's cache writes (5-minute cache) cost 1.25x input, OpenAI's nothing extra.

import type { ModelUsage } from "./model-client.js";

export type ModelPrice = {
  inputPerMillion: number;
  cachedInputPerMillion: number;
  outputPerMillion: number;
  /** Input written to the prompt cache, where the provider charges more for it (default: the input price). */
  cacheWritePerMillion?: number;
};

const price = (inputPerMillion: number, cachedInputPerMillion: number, outputPerMillion: number): ModelPrice => ({
  inputPerMillion,
  cachedInputPerMillion,
  outputPerMillion,
});

/** Anthropic: cache reads at a tenth of the input price, cache writes at 1.25x. */
const anthropicPrice = (inputPerMillion: number, outputPerMillion: number): ModelPrice => ({
  ...price(inputPerMillion, inputPerMillion / 10, outputPerMillion),
  cacheWritePerMillion: inputPerMillion * 1.25,
});

/**
 * Keyed by `provider:model-name prefix`. A model matches the longest key that equals its name
 * or is followed by `-` (dated snapshots and aliases: `gpt-4o-2024-08-06`, `claude-3-7-sonnet-latest`).
 */
export const priceTable: Readonly<Record<string, ModelPrice>> = {
  "openai:gpt-4o": price(2.5, 1.25, 10),
  "openai:gpt-4o-mini": price(0.15, 0.075, 0.6),
  "openai:gpt-4.1": price(2, 0.5, 8),
  "openai:gpt-4.1-mini": price(0.4, 0.1, 1.6),
  "openai:gpt-4.1-nano": price(0.1, 0.025, 0.4),
  "openai:o1": price(15, 7.5, 60),
  "openai:o3": price(2, 0.5, 8),
  "openai:o3-mini": price(1.1, 0.55, 4.4),
  "openai:o4-mini": price(1.1, 0.275, 4.4),
  "openai:gpt-5": price(1.25, 0.125, 10),
  "openai:gpt-5-mini": price(0.25, 0.025, 2),
  "openai:gpt-5-nano": price(0.05, 0.005, 0.4),
  "openai:gpt-5.1": price(1.25, 0.125, 10),
  "anthropic:claude-opus-4": anthropicPrice(15, 75),
  "anthropic:claude-opus-4-5": anthropicPrice(5, 25),
  "anthropic:claude-sonnet-4": anthropicPrice(3, 15),
  "anthropic:claude-3-7-sonnet": anthropicPrice(3, 15),
  "anthropic:claude-haiku-4-5": anthropicPrice(1, 5),
  "anthropic:claude-3-5-haiku": anthropicPrice(0.8, 4),
};

/** Providers that run on the user's own machine (or nowhere): free, and known to be. */
const freeProviders = new Set(["ollama", "local", "scripted"]);

export type Cost = {
  costUsd: number;
  /** False when the model has no price here: the cost is then 0 and should be shown as unknown. */
  known: boolean;
};

// Looked up by every run and strategy: the answer for the built-in table is kept per model id.
const builtInPrices = new Map<string, ModelPrice | undefined>();

/** The price of a model id, or undefined when it is not in the table or the overrides. */
export function priceOf(modelId: string, overrides: Record<string, ModelPrice> = {}): ModelPrice | undefined {
  if (overrides[modelId]) return overrides[modelId];
  const noOverrides = Object.keys(overrides).length === 0;
  if (noOverrides && builtInPrices.has(modelId)) return builtInPrices.get(modelId);
  const price = bestPriceOf(modelId, overrides);
  if (noOverrides) builtInPrices.set(modelId, price);
  return price;
}

function bestPriceOf(modelId: string, overrides: Record<string, ModelPrice>): ModelPrice | undefined {
  const { provider, name } = splitModelId(modelId);
  let best: { keyLength: number; price: ModelPrice } | undefined;
  for (const table of [priceTable, overrides]) {
    for (const [key, value] of Object.entries(table)) {
      const { provider: keyProvider, name: keyName } = splitModelId(key);
      const matches = keyProvider === provider && (name === keyName || name.startsWith(`${keyName}-`));
      if (matches && (best === undefined || keyName.length >= best.keyLength)) best = { keyLength: keyName.length, price: value };
    }
  }
  return best?.price;
}

export function costOf(modelId: string, usage: ModelUsage, overrides: Record<string, ModelPrice> = {}): Cost {
  const modelPrice = priceOf(modelId, overrides);
  if (modelPrice === undefined) {
    return { costUsd: 0, known: freeProviders.has(splitModelId(modelId).provider) };
  }
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const written = Math.min(usage.cacheWriteInputTokens ?? 0, usage.inputTokens - cached);
  const costUsd =
    ((usage.inputTokens - cached - written) * modelPrice.inputPerMillion +
      cached * modelPrice.cachedInputPerMillion +
      written * (modelPrice.cacheWritePerMillion ?? modelPrice.inputPerMillion) +
      usage.outputTokens * modelPrice.outputPerMillion) /
    1_000_000;
  return { costUsd, known: true };
}

/**
 * The share of input tokens the provider read from its prompt cache (0-1), or undefined before
 * any input: what tells whether a run's prompts kept a stable prefix.
 */
export function cachedInputShare(usage: { inputTokens: number; cachedInputTokens: number }): number | undefined {
  if (usage.inputTokens <= 0) return undefined;
  return Math.min(usage.cachedInputTokens, usage.inputTokens) / usage.inputTokens;
}

function splitModelId(modelId: string): { provider: string; name: string } {
  const colon = modelId.indexOf(":");
  return colon === -1 ? { provider: "", name: modelId } : { provider: modelId.slice(0, colon), name: modelId.slice(colon + 1) };
}
