// The grid an eval runs: every (model, effort, samples) combination is one config, and every
// (item, config, epoch) is one sample. The cache key holds the epoch index, so five epochs of
// the same question are five samples and never collapse into one cached answer.
import { createHash } from "node:crypto";
import type { Effort } from "../core/effort.js";
import type { DatasetItem } from "./dataset.js";

/** A fixed effort, or `auto`: the router picks one per question (the comparison issue 8 asks for). */
export type EvalEffort = Effort | "auto";

export type EvalConfig = {
  id: string;
  model: string;
  effort: EvalEffort;
  /** Best-of-N samples per answer (1: a single run). */ samples: number;
};

export function configGrid(models: string[], efforts: EvalEffort[], sampleCounts: number[]): EvalConfig[] {
  return models.flatMap((model) =>
    efforts.flatMap((effort) => sampleCounts.map((samples) => ({ id: configIdOf(model, effort, samples), model, effort, samples }))),
  );
}

export function configIdOf(model: string, effort: EvalEffort, samples: number): string {
  return `${model} · ${effort}${samples > 1 ? ` · ×${samples}` : ""}`;
}

export function sampleKeyOf(item: DatasetItem, config: EvalConfig, epoch: number): string {
  return createHash("sha256")
    .update(JSON.stringify([item.id, item.input, item.files, item.images, config.model, config.effort, config.samples, epoch]))
    .digest("hex")
    .slice(0, 24);
}
