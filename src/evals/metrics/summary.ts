// The numbers an eval reports, from its saved samples. Pure: the same samples always give the
// same summary (the bootstrap is seeded).
import { wilsonInterval, type Interval } from "../../strategies/confidence.js";
import type { DatasetItem } from "../dataset.js";
import type { EvalConfig } from "../eval-config.js";
import { isPass, isScored, type SampleRecord } from "../outcome.js";
import { majorityCorrect, mean, passAtK, passHatK } from "./estimators.js";
import { pairedComparison, type PairedComparison } from "./paired-comparison.js";

export type Accuracy = { scored: number; passed: number; accuracy: number; interval: Interval };

export type ConfigSummary = EvalConfig &
  Accuracy & {
    samples_total: number;
    errors: number;
    /** errors / all samples: reported beside accuracy, never inside it. */
    errorRate: number;
    errorKinds: Record<string, number>;
    retried: number;
    /** k → mean over items with at least k scored samples. */
    passAtK: Record<number, number>;
    passHatK: Record<number, number>;
    majAtK: Record<number, number>;
    meanTokens: number;
    meanCostUsd: number;
    /** False when some sample's cost is unknown (a model without a price): meanCostUsd is then not a cost to show. */
    costKnown: boolean;
    meanDurationMs: number;
  };

export type TagSummary = Accuracy & { tag: string; configId: string };

export type EvalSummary = { configs: ConfigSummary[]; tags: TagSummary[]; comparisons: PairedComparison[]; ks: number[] };

export function accuracyOf(samples: readonly SampleRecord[]): Accuracy {
  const scored = samples.filter(isScored);
  const passed = scored.filter(isPass).length;
  return {
    scored: scored.length,
    passed,
    accuracy: scored.length === 0 ? Number.NaN : passed / scored.length,
    interval: wilsonInterval(passed, scored.length),
  };
}

export function summarise(samples: readonly SampleRecord[], items: readonly DatasetItem[], configs: readonly EvalConfig[]): EvalSummary {
  const byConfig = new Map(configs.map((config) => [config.id, samples.filter((sample) => sample.configId === config.id)]));
  const ks = kValues(
    Math.max(0, ...[...byConfig.values()].flatMap((list) => [...groupByItem(list).values()].map((group) => group.filter(isScored).length))),
  );
  const summaries = configs.map((config) => configSummary(config, byConfig.get(config.id) ?? [], ks));
  const tags = [...new Set(items.flatMap((item) => item.tags))].sort().flatMap((tag) => {
    const tagged = new Set(items.filter((item) => item.tags.includes(tag)).map((item) => item.id));
    return configs.map((config) => ({
      tag,
      configId: config.id,
      ...accuracyOf((byConfig.get(config.id) ?? []).filter((sample) => tagged.has(sample.itemId))),
    }));
  });
  const rates = configs.map((config) => ({ id: config.id, rates: itemPassRates(byConfig.get(config.id) ?? []) }));
  // Every pair when there are few configs; otherwise each against the first, to keep the table readable.
  const pairs =
    rates.length <= 4
      ? rates.flatMap((a, index) => rates.slice(index + 1).map((b) => [a, b] as const))
      : rates.slice(1).map((b) => [rates[0] as (typeof rates)[number], b] as const);
  return { configs: summaries, tags, comparisons: pairs.map(([a, b]) => pairedComparison(a, b)), ks };
}

function configSummary(config: EvalConfig, samples: readonly SampleRecord[], ks: readonly number[]): ConfigSummary {
  const errors = samples.filter((sample) => !isScored(sample));
  const errorKinds: Record<string, number> = {};
  for (const sample of errors)
    if (sample.outcome.status === "error") errorKinds[sample.outcome.kind] = (errorKinds[sample.outcome.kind] ?? 0) + 1;
  const groups = [...groupByItem(samples).values()].map((group) => group.filter(isScored).sort((a, b) => a.epoch - b.epoch));
  const perK = (estimate: (group: SampleRecord[], k: number) => number) =>
    Object.fromEntries(ks.map((k) => [k, mean(groups.filter((group) => group.length >= k).map((group) => estimate(group, k)))]));
  return {
    ...config,
    ...accuracyOf(samples),
    samples_total: samples.length,
    errors: errors.length,
    errorRate: samples.length === 0 ? 0 : errors.length / samples.length,
    errorKinds,
    retried: samples.filter((sample) => sample.retried).length,
    passAtK: perK((group, k) => passAtK(group.length, group.filter(isPass).length, k)),
    passHatK: perK((group, k) => passHatK(group.length, group.filter(isPass).length, k)),
    majAtK: perK((group, k) =>
      majorityCorrect(
        group.map((sample) => ({ ...(sample.answerKey === undefined ? {} : { answerKey: sample.answerKey }), passed: isPass(sample) })),
        k,
      )
        ? 1
        : 0,
    ),
    meanTokens: mean(samples.map((sample) => sample.inputTokens + sample.outputTokens)),
    meanCostUsd: mean(samples.map((sample) => sample.costUsd)),
    costKnown: samples.every((sample) => sample.costKnown !== false),
    meanDurationMs: mean(samples.map((sample) => sample.durationMs)),
  };
}

/** Item id → share of its scored samples that passed. */
export function itemPassRates(samples: readonly SampleRecord[]): Map<string, number> {
  const rates = new Map<string, number>();
  for (const [item, group] of groupByItem(samples)) {
    const scored = group.filter(isScored);
    if (scored.length > 0) rates.set(item, scored.filter(isPass).length / scored.length);
  }
  return rates;
}

function groupByItem(samples: readonly SampleRecord[]): Map<string, SampleRecord[]> {
  const groups = new Map<string, SampleRecord[]>();
  for (const sample of samples) groups.set(sample.itemId, [...(groups.get(sample.itemId) ?? []), sample]);
  return groups;
}

/** 1, 2, 4, … up to the most samples an item has, plus that maximum itself. */
export function kValues(maximum: number): number[] {
  const ks: number[] = [];
  for (let k = 1; k <= maximum; k *= 2) ks.push(k);
  if (maximum > 0 && ks.at(-1) !== maximum) ks.push(maximum);
  return ks;
}
