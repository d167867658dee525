// A benchmark's headline ratios, for the summary table `npm run bench` prints at the end. The
// benchmark runs in a child process; the parent names a file (PONDER_BENCH_SUMMARY) and each
// ratio is one JSON line appended to it, so a ratio recorded before a later crash is kept.
import { appendFileSync } from "node:fs";

export const summaryFileVariable = "PONDER_BENCH_SUMMARY";

export type RecordedRatio = { label: string; ratio: number; target?: string };

/** Records a ratio measured in this run (e.g. "list at 100,000 runs / at 1 run"); `target` as text, e.g. "≤ 2×". */
export function recordRatio(label: string, ratio: number, target?: string): void {
  const file = process.env[summaryFileVariable];
  if (!file) return;
  const entry: RecordedRatio = target === undefined ? { label, ratio } : { label, ratio, target };
  appendFileSync(file, `${JSON.stringify(entry)}\n`);
}
