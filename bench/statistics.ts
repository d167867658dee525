export function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.round(fraction * (sorted.length - 1))));
  return sorted[index] as number;
}

export const median = (values: number[]) => percentile(values, 0.5);

export function formatMs(value: number): string {
  return `${value.toFixed(2)} ms`;
}
