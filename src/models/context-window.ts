// How many tokens a model can take in and write. The loop keeps every request under the usable
// part of the window (see src/loop/context/). Where a client knows its window (a local model's
// context size) it says so; otherwise config `context.models["<id>"]` wins, then this table of
// common models, then a conservative default.

import type { ModelClient } from "./model-client.js";

export type ContextWindow = {
  /** Input plus output tokens the model accepts in one request. */
  tokens: number;
  /** Tokens the model may write in one turn: kept free of input as the output reserve. */
  maxOutputTokens: number;
  source: "client" | "config" | "table" | "default";
};

export type ConfiguredWindow = { contextWindow?: number; maxOutputTokens?: number };

/** Unknown models get a window most current models exceed, so guessing wrong only compacts early. */
export const defaultContextWindow = { tokens: 16_384, maxOutputTokens: 4_096 };

// [model name pattern, window, output limit], first match wins: specific names before families.
const knownWindows: [RegExp, number, number][] = [
  [/^gpt-4\.1/, 1_047_576, 32_768],
  [/^gpt-5.*-chat/, 128_000, 16_384],
  [/^gpt-5/, 400_000, 128_000],
  [/^gpt-4o/, 128_000, 16_384],
  [/^gpt-4-turbo/, 128_000, 4_096],
  [/^gpt-4(-|$)/, 8_192, 4_096],
  [/^gpt-3\.5-turbo/, 16_385, 4_096],
  [/^o1-mini/, 128_000, 65_536],
  [/^o\d/, 200_000, 100_000],
  [/^codex/, 200_000, 100_000],
  [/^gpt-oss/, 131_072, 32_768],
  [/^claude-(opus-4-1|opus-4(?!-[5-9]))/, 200_000, 32_000],
  [/^claude-3-5/, 200_000, 8_192],
  [/^claude-3-(opus|sonnet|haiku)/, 200_000, 4_096],
  [/^claude/, 200_000, 64_000],
  [/smollm2/i, 8_192, 2_048],
  [/gemma-?3.*(270m|1b)/i, 32_768, 8_192],
  [/gemma-?3/i, 131_072, 8_192],
  [/qwen3/i, 32_768, 8_192],
  [/qwen2\.5/i, 32_768, 8_192],
  [/llama-?3\.[1-3]|llama-?4/i, 131_072, 8_192],
  [/deepseek-(r1|v3|chat|reasoner)/i, 131_072, 8_192],
  [/mistral-(nemo|large|medium)/i, 131_072, 8_192],
  [/mistral-small/i, 32_768, 8_192],
  [/phi-?4/i, 16_384, 4_096],
];

// Looked up by name once: a server plans every run's window, and the table is a list of patterns.
// Bounded, since requests name their models.
const knownByName = new Map<string, (typeof knownWindows)[number] | undefined>();
const namesKept = 256;

/** The window of `modelName` in the table, if it is there. */
export function knownContextWindow(modelName: string): { tokens: number; maxOutputTokens: number } | undefined {
  let known = knownByName.get(modelName);
  if (known === undefined && !knownByName.has(modelName)) {
    known = knownWindows.find(([pattern]) => pattern.test(modelName));
    if (knownByName.size >= namesKept) knownByName.clear();
    knownByName.set(modelName, known);
  }
  return known && { tokens: known[1], maxOutputTokens: known[2] };
}

/** The window the loop plans with for `model`, `configured` being config `context.models[model.id]`. */
export function contextWindowOf(
  model: Pick<ModelClient, "id" | "provider" | "modelName" | "contextWindow">,
  configured?: ConfiguredWindow,
): ContextWindow {
  const base =
    model.contextWindow !== undefined
      ? { ...model.contextWindow, source: "client" as const }
      : configured?.contextWindow !== undefined
        ? { tokens: configured.contextWindow, maxOutputTokens: defaultOutputOf(configured.contextWindow), source: "config" as const }
        : model.provider === "scripted"
          ? // Scripted models are test doubles with no window of their own.
            { tokens: 1_000_000, maxOutputTokens: 32_768, source: "default" as const }
          : (withSource(knownContextWindow(model.modelName)) ?? { ...defaultContextWindow, source: "default" as const });
  const maxOutputTokens = configured?.maxOutputTokens ?? base.maxOutputTokens;
  return { ...base, maxOutputTokens: Math.min(maxOutputTokens, base.tokens) };
}

/**
 * Tokens of the window left for input: the window minus the output reserve. The reserve is the
 * output limit, but never more than a quarter of the window (a model whose output limit equals
 * its window still needs room to read).
 */
export function usableInputTokens(window: ContextWindow): number {
  return window.tokens - Math.min(window.maxOutputTokens, Math.floor(window.tokens / 4));
}

function defaultOutputOf(tokens: number): number {
  return Math.min(defaultContextWindow.maxOutputTokens * 2, Math.floor(tokens / 8));
}

function withSource(known: { tokens: number; maxOutputTokens: number } | undefined): ContextWindow | undefined {
  return known && { ...known, source: "table" };
}
