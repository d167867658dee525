// Context sequences kept between turns, so the next step of a run evaluates only what is new in
// its prompt: node-llama-cpp's LlamaChat compares the prompt's tokens with those already in the
// sequence and evaluates from the first difference. Without this, every step of a run evaluated
// the whole conversation again, which on a CPU is most of a step's time.

import type { LlamaChat, LlamaContext, LlamaContextSequence, LlamaModel } from "node-llama-cpp";
import { importLlama } from "./llama-module.js";

export type KeptSequence = { context: LlamaContext; sequence: LlamaContextSequence; chat: LlamaChat };

export type SequenceSettings = { contextSize: number; threads?: number };

/**
 * Idle sequences kept per model and settings; more turns at once each get a sequence of their
 * own. Each holds its whole KV cache (SmolLM2-135M at 8192 tokens: about 190 MB; a 1.7B model
 * several times that), so few are kept: one run stepping alone needs one.
 */
const maxIdlePerModel = 2;
const idle = new Map<LlamaModel, Map<string, KeptSequence[]>>();

function idleList(model: LlamaModel, settings: SequenceSettings): KeptSequence[] {
  const byModel = idle.get(model) ?? new Map<string, KeptSequence[]>();
  idle.set(model, byModel);
  const key = `${settings.contextSize}/${settings.threads ?? "auto"}`;
  const list = byModel.get(key) ?? [];
  byModel.set(key, list);
  return list;
}

/**
 * An idle sequence of this model, the most recently released first (the previous step of a run
 * that is stepping alone, so its prefix matches), or a new one.
 */
export async function acquireSequence(model: LlamaModel, settings: SequenceSettings): Promise<KeptSequence> {
  const kept = idleList(model, settings).pop();
  if (kept) return kept;
  return createSequence(model, settings);
}

export async function createSequence(model: LlamaModel, settings: SequenceSettings): Promise<KeptSequence> {
  const { LlamaChat } = await importLlama();
  const context = await model.createContext({ contextSize: { max: settings.contextSize }, threads: settings.threads });
  const sequence = context.getSequence();
  return { context, sequence, chat: new LlamaChat({ contextSequence: sequence }) };
}

/** Back to the pool for the next turn; the oldest idle one is freed when too many are kept. */
export async function releaseSequence(model: LlamaModel, settings: SequenceSettings, kept: KeptSequence): Promise<void> {
  const list = idleList(model, settings);
  list.push(kept);
  const freed = list.length > maxIdlePerModel ? list.splice(0, list.length - maxIdlePerModel) : [];
  await Promise.all(freed.map((old) => old.context.dispose()));
}

/** How many tokens two token lists share from their start. */
export function sharedPrefixLength(before: readonly number[], after: readonly number[]): number {
  let index = 0;
  while (index < before.length && index < after.length && before[index] === after[index]) index++;
  return index;
}
