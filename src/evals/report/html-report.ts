// The eval report: one self-contained HTML file (inline CSS and SVG, no scripts, no network)
// with the scaling curve, per-config bars, the metrics tables, and a drill-down per item into
// its answer distribution and every sample's trajectory.
import type { Item } from "../../core/items.js";
import type { DatasetItem } from "../dataset.js";
import type { EvalManifest } from "../eval-files.js";
import type { EvalSummary } from "../metrics/summary.js";
import type { SampleRecord } from "../outcome.js";
import { escapeHtml } from "./html-escape.js";
import { accuracyBarsSvg, scalingCurveSvg, type CurveSeries } from "./svg-plots.js";
import { trajectoryHtml } from "./trajectory-html.js";

export type ReportInput = {
  manifest: EvalManifest;
  items: readonly DatasetItem[];
  samples: readonly SampleRecord[];
  summary: EvalSummary;
  /** run id → its items; samples without one show no trajectory. */ trajectories: ReadonlyMap<string, readonly Item[]>;
};

// Fits the screen at any width: plots scale down, wide tables scroll inside themselves, long ids wrap.
const css = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;padding:0 12px;max-width:1100px;color:#111;overflow-wrap:anywhere}svg.plot{max-width:100%;height:auto}table{border-collapse:collapse;margin:8px 0 20px;display:block;max-width:100%;overflow-x:auto}td,th{border:1px solid #ddd;padding:4px 8px;text-align:right}th:first-child,td:first-child{text-align:left}.muted{color:#666}.pass{color:#15803d}.fail{color:#b91c1c}.error{color:#b45309}details{margin:4px 0}summary{cursor:pointer}pre{white-space:pre-wrap;margin:2px 0;font-size:12px}.trajectory{font-size:12px}.infra{background:#fde68a}.sample{border-left:3px solid #ddd;padding-left:8px;margin:6px 0}`;

export function htmlReport(input: ReportInput): string {
  const { manifest, summary } = input;
  const title = `Eval ${manifest.id}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${css}</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p class="muted">${escapeHtml(manifest.datasetPath)} · ${input.items.length} items × ${manifest.configs.length} configs × ${manifest.epochs} epochs · scorer ${escapeHtml(manifest.scorer)} · ${escapeHtml(manifest.createdAt)}${manifest.finishedAt ? "" : " · <b>unfinished</b>"}</p>
<h2>Accuracy against compute</h2>${computeAxes(summary)
    .map((axis) => scalingCurveSvg(curveSeries(summary, axis), axisLabels[axis]))
    .join("\n")}
<h2>Accuracy per config</h2>${accuracyBarsSvg(summary.configs.map((config) => ({ label: config.id, series: models(summary).indexOf(config.model), accuracy: config.accuracy, low: config.interval.lower, high: config.interval.upper, errorRate: config.errorRate })))}
${configTable(summary)}${tagTable(summary)}${comparisonTable(summary)}
<h2>Items</h2>${input.items.map((item) => itemSection(item, input)).join("\n")}
</body></html>`;
}

export type ComputeAxis = "tokens" | "cost" | "time";

export const axisLabels: Record<ComputeAxis, string> = {
  tokens: "tokens per sample",
  cost: "cost per sample (USD)",
  time: "wall time per sample (s)",
};

/** Tokens and time always; cost only when some model has a known price. */
export function computeAxes(summary: EvalSummary): ComputeAxis[] {
  return summary.configs.some((config) => config.costKnown && config.meanCostUsd > 0) ? ["tokens", "cost", "time"] : ["tokens", "time"];
}

/** One line per model through its configs, ordered by compute: the test-time scaling curve. */
export function curveSeries(summary: EvalSummary, axis: ComputeAxis = "tokens"): CurveSeries[] {
  const computeOf = (config: EvalSummary["configs"][number]) =>
    axis === "tokens" ? config.meanTokens : axis === "cost" ? config.meanCostUsd : config.meanDurationMs / 1000;
  return models(summary).map((model) => ({
    name: model,
    points: summary.configs
      // A config of unknown cost has no place on the cost axis (never at $0).
      .filter((config) => config.model === model && config.scored > 0 && (axis !== "cost" || config.costKnown))
      .map((config) => ({
        x: computeOf(config),
        y: config.accuracy,
        low: config.interval.lower,
        high: config.interval.upper,
        label: `${config.effort}${config.samples > 1 ? ` ×${config.samples}` : ""}`,
      })),
  }));
}

function models(summary: EvalSummary): string[] {
  return [...new Set(summary.configs.map((config) => config.model))];
}

const percent = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? "–" : `${(value * 100).toFixed(1)}%`);

function configTable(summary: EvalSummary): string {
  const kHeaders = summary.ks.map((k) => `<th>pass@${k}</th><th>pass^${k}</th><th>maj@${k}</th>`).join("");
  const rows = summary.configs
    .map(
      (config) =>
        `<tr><td>${escapeHtml(config.id)}</td><td>${percent(config.accuracy)}</td><td>${percent(config.interval.lower)}–${percent(config.interval.upper)}</td><td>${config.passed}/${config.scored}</td><td>${percent(config.errorRate)}${
          config.errors > 0
            ? ` (${Object.entries(config.errorKinds)
                .map(([kind, count]) => `${kind} ${count}`)
                .join(", ")})`
            : ""
        }</td><td>${config.retried}</td>${summary.ks.map((k) => `<td>${percent(config.passAtK[k])}</td><td>${percent(config.passHatK[k])}</td><td>${percent(config.majAtK[k])}</td>`).join("")}<td>${Math.round(config.meanTokens)}</td><td>${config.costKnown ? `$${config.meanCostUsd.toFixed(4)}` : "unknown"}</td><td>${(config.meanDurationMs / 1000).toFixed(1)} s</td></tr>`,
    )
    .join("");
  return `<h2>Metrics</h2><table><tr><th>config</th><th>accuracy</th><th>95% CI</th><th>passed</th><th>error rate</th><th>retried</th>${kHeaders}<th>tokens/sample</th><th>cost/sample</th><th>time/sample</th></tr>${rows}</table><p class="muted">Errors (infrastructure, scorer) are left out of accuracy and shown as the error rate. Retried samples were rerun in a fresh run after an infrastructure failure; retrying can favour inputs that trigger faults, so their count is reported.</p>`;
}

function tagTable(summary: EvalSummary): string {
  if (summary.tags.length === 0) return "";
  const rows = summary.tags
    .map(
      (tag) =>
        `<tr><td>${escapeHtml(tag.tag)}</td><td>${escapeHtml(tag.configId)}</td><td>${percent(tag.accuracy)}</td><td>${tag.passed}/${tag.scored}</td></tr>`,
    )
    .join("");
  return `<h2>Per tag</h2><table><tr><th>tag</th><th>config</th><th>accuracy</th><th>passed</th></tr>${rows}</table>`;
}

function comparisonTable(summary: EvalSummary): string {
  if (summary.comparisons.length === 0) return "";
  const rows = summary.comparisons
    .map(
      (pair) =>
        `<tr><td>${escapeHtml(pair.a)} − ${escapeHtml(pair.b)}</td><td>${pair.items}</td><td>${percent(pair.difference)}</td><td>${percent(pair.interval.lower)} to ${percent(pair.interval.upper)}</td><td>${Number.isFinite(pair.pValue) ? pair.pValue.toFixed(3) : "–"}</td></tr>`,
    )
    .join("");
  return `<h2>Paired comparisons</h2><table><tr><th>A − B</th><th>items</th><th>difference</th><th>95% bootstrap CI</th><th>p</th></tr>${rows}</table>`;
}

function itemSection(item: DatasetItem, input: ReportInput): string {
  const samples = input.samples.filter((sample) => sample.itemId === item.id);
  const passed = samples.filter((sample) => sample.outcome.status === "pass").length;
  const byConfig = input.manifest.configs
    .map((config) => {
      const own = samples.filter((sample) => sample.configId === config.id).sort((a, b) => a.epoch - b.epoch);
      const counts = new Map<string, { count: number; passed: boolean }>();
      for (const sample of own) {
        const key = sample.answerKey ?? (sample.outcome.status === "error" ? `(error: ${sample.outcome.kind})` : "(no answer)");
        const entry = counts.get(key) ?? { count: 0, passed: false };
        counts.set(key, { count: entry.count + 1, passed: entry.passed || sample.outcome.status === "pass" });
      }
      const distribution = [...counts.entries()]
        .sort((a, b) => b[1].count - a[1].count)
        .map(([key, entry]) => `<tr><td class="${entry.passed ? "pass" : "fail"}">${escapeHtml(key)}</td><td>${entry.count}</td></tr>`)
        .join("");
      return `<h4>${escapeHtml(config.id)}</h4><table class="distribution"><tr><th>answer</th><th>samples</th></tr>${distribution}</table>${own.map((sample) => sampleHtml(sample, input)).join("")}`;
    })
    .join("");
  return `<details class="report-item"><summary><b>${escapeHtml(item.id)}</b> · ${passed}/${samples.length} passed · ${escapeHtml(item.input.slice(0, 100))}</summary><pre>${escapeHtml(item.input)}</pre><p>target: <code>${escapeHtml([item.target ?? "(none)"].flat().join(" | "))}</code></p>${byConfig}</details>`;
}

function sampleHtml(sample: SampleRecord, input: ReportInput): string {
  const outcome = sample.outcome.status === "error" ? `error(${sample.outcome.kind}): ${sample.outcome.message}` : sample.outcome.status;
  const items = sample.runId ? input.trajectories.get(sample.runId) : undefined;
  return `<div class="sample"><details><summary>epoch ${sample.epoch} · <span class="${sample.outcome.status}">${escapeHtml(outcome)}</span>${sample.retried ? ` · retried (${sample.retriedRunIds.length})` : ""} · ${escapeHtml(sample.answer ?? "")} · <code>${escapeHtml(sample.runId ?? "")}</code></summary>${sample.reason ? `<p class="muted">${escapeHtml(sample.reason)}</p>` : ""}${items ? trajectoryHtml(items) : ""}</details></div>`;
}
