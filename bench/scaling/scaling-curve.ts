// The test-time scaling curve of an eval run with many epochs of one config (docs/benchmarks.md):
// from its samples.jsonl, accuracy of a majority vote over k samples (k = 1, 2, 4, 8, 16), pass@k,
// and the adaptive rule of `ponder best-of --until-confident` (adaptive-stopping.ts) replayed on
// the same samples: how many it takes per item, and how accurate its vote is.
//   node dist/bench/scaling/scaling-curve.js <eval folder>/samples.jsonl [curve.svg]
// Each vote is averaged over random orders of an item's samples (seeded), so the curve does not
// hang on the order in which the epochs happened to run; intervals are a bootstrap over items.
import { readFileSync, writeFileSync } from "node:fs";
import { nextRoundSize, firstRoundSize } from "../../src/strategies/adaptive-stopping.js";
import { passAtK } from "../../src/evals/metrics/estimators.js";
import { mulberry32 } from "../../src/evals/metrics/paired-comparison.js";
import { answerNumber } from "./answer-number-scorer.js";

type Sample = { itemId: string; epoch: number; answer?: string; outcome: { status: string } };
type Vote = { key: string; passed: boolean };

const orders = 400;
const resamples = 2000;
const ks = [1, 2, 4, 8, 16];
const adaptiveThresholds = [0.8, 0.95];
const adaptiveConcurrency = 8;

function shuffled<T>(values: T[], next: () => number): T[] {
  const copy = [...values];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

/** The most common key wins; a tie goes to the key seen first, as the strategy's vote does. */
function majority(votes: Vote[]): { passed: boolean; leader: number; runnerUp: number } {
  const counts = new Map<string, { count: number; passed: boolean }>();
  for (const vote of votes) counts.set(vote.key, { count: (counts.get(vote.key)?.count ?? 0) + 1, passed: vote.passed });
  const ranked = [...counts.values()].sort((a, b) => b.count - a.count);
  return { passed: ranked[0]?.passed ?? false, leader: ranked[0]?.count ?? 0, runnerUp: ranked[1]?.count ?? 0 };
}

/** The adaptive rule on one order of samples: rounds as the strategy sizes them, then the vote. */
function adaptive(votes: Vote[], threshold: number): { passed: boolean; used: number } {
  let used = Math.min(firstRoundSize, votes.length);
  for (;;) {
    const { leader, runnerUp } = majority(votes.slice(0, used));
    const size = nextRoundSize({
      leaderVotes: leader,
      runnerUpVotes: runnerUp,
      launched: used,
      maxSamples: votes.length,
      threshold,
      concurrency: adaptiveConcurrency,
    });
    if (size === 0) return { passed: majority(votes.slice(0, used)).passed, used };
    used += size;
  }
}

function bootstrap(perItem: number[], next: () => number): [number, number] {
  const means: number[] = [];
  for (let round = 0; round < resamples; round++) {
    let sum = 0;
    for (let index = 0; index < perItem.length; index++) sum += perItem[Math.floor(next() * perItem.length)] ?? 0;
    means.push(sum / perItem.length);
  }
  means.sort((a, b) => a - b);
  return [means[Math.floor(resamples * 0.025)] ?? 0, means[Math.floor(resamples * 0.975)] ?? 0];
}

const [samplesPath, svgPath] = process.argv.slice(2);
if (!samplesPath) throw new Error("Usage: node dist/bench/scaling/scaling-curve.js <samples.jsonl> [curve.svg]");
const samples = readFileSync(samplesPath, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => JSON.parse(line) as Sample);
const byItem = new Map<string, Vote[]>();
for (const sample of samples.sort((a, b) => a.epoch - b.epoch)) {
  if (sample.outcome.status !== "pass" && sample.outcome.status !== "fail") continue;
  const number = answerNumber(sample.answer ?? "");
  const votes = byItem.get(sample.itemId) ?? [];
  votes.push({
    key: number === undefined ? `text:${(sample.answer ?? "").trim().toLowerCase()}` : String(number),
    passed: sample.outcome.status === "pass",
  });
  byItem.set(sample.itemId, votes);
}
const items = [...byItem.values()];
// Seeded: the curve is the same on every rerun of the same samples.
const next = mulberry32(28);
const format = (value: number) => `${(value * 100).toFixed(1)}%`;
console.log(`${items.length} items, ${items.reduce((sum, votes) => sum + votes.length, 0)} scored samples`);

const curve: { k: number; vote: number; interval: [number, number]; passAtK: number }[] = [];
for (const k of ks) {
  const perItem = items.map((votes) => {
    let passed = 0;
    for (let order = 0; order < orders; order++) passed += majority(shuffled(votes, next).slice(0, k)).passed ? 1 : 0;
    return passed / orders;
  });
  const vote = perItem.reduce((sum, value) => sum + value, 0) / perItem.length;
  const pass = items.reduce((sum, votes) => sum + passAtK(votes.length, votes.filter((vote) => vote.passed).length, k), 0) / items.length;
  const interval = bootstrap(perItem, next);
  curve.push({ k, vote, interval, passAtK: pass });
  console.log(`k=${String(k).padStart(2)}  vote ${format(vote)} [${format(interval[0])}, ${format(interval[1])}]  pass@k ${format(pass)}`);
}
const adaptivePoints: { threshold: number; accuracy: number; interval: [number, number]; samples: number }[] = [];
for (const threshold of adaptiveThresholds) {
  const perItem = items.map((votes) => {
    let passed = 0;
    let used = 0;
    for (let order = 0; order < orders; order++) {
      const outcome = adaptive(shuffled(votes, next), threshold);
      passed += outcome.passed ? 1 : 0;
      used += outcome.used;
    }
    return { accuracy: passed / orders, used: used / orders };
  });
  const accuracy = perItem.reduce((sum, item) => sum + item.accuracy, 0) / perItem.length;
  const used = perItem.reduce((sum, item) => sum + item.used, 0) / perItem.length;
  const interval = bootstrap(
    perItem.map((item) => item.accuracy),
    next,
  );
  adaptivePoints.push({ threshold, accuracy, interval, samples: used });
  console.log(
    `adaptive (until confident ${threshold}, at most 16): vote ${format(accuracy)} [${format(interval[0])}, ${format(interval[1])}] with ${used.toFixed(2)} samples per item on average (${format(1 - used / 16)} fewer than 16)`,
  );
}
if (svgPath) writeFileSync(svgPath, curveSvg(curve, adaptivePoints));

/** Accuracy against samples per item (log scale): the vote with its interval, pass@k, adaptive points. */
function curveSvg(
  points: typeof curve,
  adaptivePoints: { accuracy: number; interval: [number, number]; samples: number; threshold: number }[],
): string {
  const width = 560;
  const height = 360;
  const left = 60;
  const right = 150;
  const top = 20;
  const bottom = 50;
  const x = (samples: number) => left + (Math.log2(samples) / 4) * (width - left - right);
  const y = (share: number) => top + (1 - share) * (height - top - bottom);
  const line = (values: [number, number][]) =>
    values.map(([px, py], index) => `${index === 0 ? "M" : "L"}${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(" ");
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (share) =>
        `<line x1="${left}" x2="${width - right}" y1="${y(share)}" y2="${y(share)}" stroke="#ddd"/><text x="${left - 8}" y="${y(share) + 4}" text-anchor="end">${share * 100}%</text>`,
    )
    .join("");
  const ticks = ks.map((k) => `<text x="${x(k)}" y="${height - bottom + 18}" text-anchor="middle">${k}</text>`).join("");
  const band = `${line(points.map((point) => [point.k, point.interval[1]]))} ${points
    .slice()
    .reverse()
    .map((point) => `L${x(point.k).toFixed(1)},${y(point.interval[0]).toFixed(1)}`)
    .join(" ")} Z`;
  const adaptiveMarks = adaptivePoints
    .map(
      (point) =>
        `<line x1="${x(point.samples)}" x2="${x(point.samples)}" y1="${y(point.interval[0])}" y2="${y(point.interval[1])}" stroke="#c2410c"/><circle cx="${x(point.samples)}" cy="${y(point.accuracy)}" r="5" fill="#c2410c"/><text x="${x(point.samples) + 8}" y="${y(point.accuracy) + 16}" fill="#c2410c">adaptive ${point.threshold}</text>`,
    )
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>${grid}${ticks}
<text x="${(left + width - right) / 2}" y="${height - 12}" text-anchor="middle">samples per question (log scale)</text>
<path d="${band}" fill="#2563eb" opacity="0.15"/>
<path d="${line(points.map((point) => [point.k, point.vote]))}" fill="none" stroke="#2563eb" stroke-width="2"/>
<path d="${line(points.map((point) => [point.k, point.passAtK]))}" fill="none" stroke="#16a34a" stroke-width="2" stroke-dasharray="5,4"/>
${adaptiveMarks}
<text x="${width - right + 10}" y="${top + 10}" fill="#16a34a">pass@k</text>
<text x="${width - right + 10}" y="${top + 28}" fill="#2563eb">majority vote (95% CI)</text>
<text x="${width - right + 10}" y="${top + 46}" fill="#c2410c">adaptive stopping</text>
</svg>
`;
}
