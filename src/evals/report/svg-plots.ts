// Plots drawn as plain SVG strings: no charting library, so the report stays one file that
// opens anywhere. Axes are linear; the compute axis is logarithmic when its range spans more
// than a factor of ten (efforts and sample counts grow compute geometrically).
import { escapeHtml } from "./html-escape.js";

export type CurvePoint = { x: number; y: number; label: string; low?: number; high?: number };
export type CurveSeries = { name: string; points: CurvePoint[] };

const palette = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4d7c0f", "#be185d"];
const width = 640;
const height = 360;
const margin = { left: 56, right: 20, top: 20, bottom: 48 };

/** Accuracy (0..1, with interval whiskers) against compute, one line per series. */
export function scalingCurveSvg(series: readonly CurveSeries[], xLabel: string): string {
  const points = series.flatMap((line) => line.points).filter((point) => Number.isFinite(point.x) && Number.isFinite(point.y));
  if (points.length === 0)
    return `<svg class="plot" xmlns="http://www.w3.org/2000/svg" width="${width}" height="60"><text x="10" y="30">No scored samples to plot.</text></svg>`;
  const xs = points.map((point) => point.x);
  const minimum = Math.min(...xs);
  const maximum = Math.max(...xs);
  const logarithmic = minimum > 0 && maximum / minimum > 10;
  const transform = (value: number) => (logarithmic ? Math.log10(value) : value);
  const low = transform(minimum);
  const high = transform(maximum) === low ? low + 1 : transform(maximum);
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const xOf = (value: number) => margin.left + ((transform(value) - low) / (high - low)) * plotWidth * 0.9 + plotWidth * 0.05;
  const yOf = (value: number) => margin.top + (1 - value) * plotHeight;
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (tick) =>
        `<line x1="${margin.left}" x2="${width - margin.right}" y1="${yOf(tick)}" y2="${yOf(tick)}" stroke="#e5e7eb"/><text x="${margin.left - 8}" y="${yOf(tick) + 4}" text-anchor="end" font-size="11">${tick * 100}%</text>`,
    )
    .join("");
  const xTicks = [minimum, maximum]
    .map(
      (value) =>
        `<text x="${xOf(value)}" y="${height - margin.bottom + 16}" text-anchor="middle" font-size="11">${formatNumber(value)}</text>`,
    )
    .join("");
  const lines = series
    .map((line, index) => {
      const colour = palette[index % palette.length] as string;
      const sorted = line.points.filter((point) => Number.isFinite(point.x) && Number.isFinite(point.y)).sort((a, b) => a.x - b.x);
      const path = sorted
        .map((point, position) => `${position === 0 ? "M" : "L"}${xOf(point.x).toFixed(1)},${yOf(point.y).toFixed(1)}`)
        .join(" ");
      const marks = sorted
        .map(
          (point) =>
            `${point.low === undefined || point.high === undefined ? "" : `<line x1="${xOf(point.x)}" x2="${xOf(point.x)}" y1="${yOf(point.low)}" y2="${yOf(point.high)}" stroke="${colour}" stroke-opacity="0.4"/>`}<circle cx="${xOf(point.x)}" cy="${yOf(point.y)}" r="4" fill="${colour}"><title>${escapeHtml(`${point.label}: ${(point.y * 100).toFixed(1)}% at ${formatNumber(point.x)}`)}</title></circle><text x="${xOf(point.x) + 6}" y="${yOf(point.y) - 6}" font-size="10" fill="${colour}">${escapeHtml(point.label)}</text>`,
        )
        .join("");
      const legend = `<rect x="${margin.left + 8}" y="${margin.top + 6 + index * 16}" width="10" height="10" fill="${colour}"/><text x="${margin.left + 22}" y="${margin.top + 15 + index * 16}" font-size="11">${escapeHtml(line.name)}</text>`;
      return `<path d="${path}" fill="none" stroke="${colour}" stroke-width="2"/>${marks}${legend}`;
    })
    .join("");
  const axisLabel = `<text x="${margin.left + plotWidth / 2}" y="${height - 8}" text-anchor="middle" font-size="12">${escapeHtml(xLabel)}${logarithmic ? " (log scale)" : ""}</text><text transform="translate(14 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" font-size="12">accuracy</text>`;
  return `<svg class="plot scaling-curve" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="accuracy against ${escapeHtml(xLabel)}">${grid}${xTicks}${lines}${axisLabel}</svg>`;
}

/** One horizontal bar per config: accuracy with its interval, and the error rate beside it. */
/** `series` picks the colour, so a model's bars match its line in the scaling curve. */
export function accuracyBarsSvg(
  bars: readonly { label: string; series: number; accuracy: number; low: number; high: number; errorRate: number }[],
): string {
  const rowHeight = 26;
  const labelWidth = 220;
  const barWidth = width - labelWidth - 90;
  const svgHeight = bars.length * rowHeight + 30;
  const rows = bars
    .map((bar, index) => {
      const y = 10 + index * rowHeight;
      const accuracy = Number.isFinite(bar.accuracy) ? bar.accuracy : 0;
      return `<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end" font-size="11">${escapeHtml(bar.label)}</text><rect x="${labelWidth}" y="${y + 2}" width="${(accuracy * barWidth).toFixed(1)}" height="16" fill="${palette[bar.series % palette.length]}"/><line x1="${labelWidth + bar.low * barWidth}" x2="${labelWidth + bar.high * barWidth}" y1="${y + 10}" y2="${y + 10}" stroke="#111" stroke-width="1.5"/><text x="${labelWidth + barWidth + 6}" y="${y + 14}" font-size="11">${Number.isFinite(bar.accuracy) ? `${(bar.accuracy * 100).toFixed(1)}%` : "–"}${bar.errorRate > 0 ? ` · ${(bar.errorRate * 100).toFixed(0)}% err` : ""}</text>`;
    })
    .join("");
  return `<svg class="plot accuracy-bars" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${svgHeight}" viewBox="0 0 ${width} ${svgHeight}" role="img" aria-label="accuracy per config">${rows}</svg>`;
}

function formatNumber(value: number): string {
  if (value >= 1000) return `${(value / 1000).toFixed(value >= 10_000 ? 0 : 1)}k`;
  if (value < 0.01) return value.toExponential(1);
  return Number(value.toPrecision(3)).toString();
}
