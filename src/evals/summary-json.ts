// The `--json` shape of an eval: stable snake_case keys for scripts and CI.
import type { EvalManifest } from "./eval-files.js";
import type { EvalSummary } from "./metrics/summary.js";

const finite = (value: number) => (Number.isFinite(value) ? value : null);
const byK = (values: Record<number, number>) => Object.fromEntries(Object.entries(values).map(([k, value]) => [k, finite(value)]));

export function evalSummaryJson(
  manifest: EvalManifest,
  summary: EvalSummary,
  extra: { report?: string; reused?: number } = {},
): Record<string, unknown> {
  return {
    eval_id: manifest.id,
    dataset: manifest.datasetPath,
    epochs: manifest.epochs,
    scorer: manifest.scorer,
    finished: manifest.finishedAt !== undefined,
    ...(extra.reused === undefined ? {} : { reused_samples: extra.reused }),
    ...(extra.report ? { report: extra.report } : {}),
    configs: summary.configs.map((config) => ({
      id: config.id,
      model: config.model,
      effort: config.effort,
      samples: config.samples,
      accuracy: finite(config.accuracy),
      ci95: [config.interval.lower, config.interval.upper],
      passed: config.passed,
      scored: config.scored,
      total: config.samples_total,
      errors: config.errors,
      error_rate: config.errorRate,
      error_kinds: config.errorKinds,
      retried: config.retried,
      pass_at_k: byK(config.passAtK),
      pass_hat_k: byK(config.passHatK),
      maj_at_k: byK(config.majAtK),
      mean_tokens: finite(config.meanTokens),
      mean_cost_usd: config.costKnown ? finite(config.meanCostUsd) : null,
      mean_duration_ms: finite(config.meanDurationMs),
    })),
    tags: summary.tags.map((tag) => ({
      tag: tag.tag,
      config: tag.configId,
      accuracy: finite(tag.accuracy),
      passed: tag.passed,
      scored: tag.scored,
    })),
    comparisons: summary.comparisons.map((pair) => ({
      a: pair.a,
      b: pair.b,
      items: pair.items,
      difference: finite(pair.difference),
      ci95: [finite(pair.interval.lower), finite(pair.interval.upper)],
      p_value: finite(pair.pValue),
    })),
  };
}
