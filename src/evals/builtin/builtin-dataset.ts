// Ponder's own eval set, written for Ponder and checkable by computation: tasks a model can
// only answer reliably with its tools (exact arithmetic, analysis of a generated CSV, reading
// a local page, measuring a generated image). The files are generated from a fixed seed, so
// every machine gets the same dataset (and `--resume` matches it); the canary marks the text.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { mulberry32 } from "../metrics/paired-comparison.js";
import { archivePage, archivePageCount, archivePageName, launchCode, survivalInput, vaultCity } from "./archive-pages.js";
import { builtinCanary, csvRows, pageHtml, planetStations } from "./builtin-files.js";

type BuiltinItem = { id: string; input: string; target: string; tags: string[]; files?: string[] };

/** Writes the dataset and its files into `directory`; returns the dataset's path. */
export async function writeBuiltinDataset(directory: string): Promise<string> {
  await mkdir(directory, { recursive: true });
  const random = mulberry32(20_260_701);
  const rows = csvRows(random);
  await writeFile(
    join(directory, "shipments.csv"),
    `region,month,units,unit_price\n${rows.map((row) => `${row.region},${row.month},${row.units},${row.price.toFixed(2)}`).join("\n")}\n`,
  );
  await writeFile(join(directory, "station-census.html"), pageHtml());
  await sharp({ create: { width: 317, height: 89, channels: 3, background: { r: 40, g: 120, b: 200 } } })
    .png()
    .toFile(join(directory, "banner.png"));
  const pages = Array.from({ length: archivePageCount }, (_, index) => archivePageName(index + 1));
  await Promise.all(pages.map((name, index) => writeFile(join(directory, name), archivePage(index + 1))));
  const revenue = new Map<string, number>();
  for (const row of rows) revenue.set(row.region, (revenue.get(row.region) ?? 0) + row.units * row.price);
  const topRegion = [...revenue.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
  const marchUnits = rows.filter((row) => row.month === "2026-03").reduce((sum, row) => sum + row.units, 0);
  const kestrel = planetStations.find((station) => station.name === "Kestrel Outpost")?.population ?? 0;
  const items: BuiltinItem[] = [
    {
      id: "primes-sum",
      input: "What is the sum of the first 2,000 prime numbers? Give the exact integer.",
      target: String(sumOfPrimes(2000)),
      tags: ["computation"],
    },
    {
      id: "seven-or-eleven",
      input: "How many integers from 1 to 1,000,000 inclusive are divisible by 7 or by 11, but not by both?",
      target: String(sevenOrEleven(1_000_000)),
      tags: ["computation"],
    },
    {
      id: "power-mod",
      input: "What is 3^500 modulo 1,000,003? Give the exact integer.",
      target: String(powerMod(3n, 500n, 1_000_003n)),
      tags: ["computation"],
    },
    {
      id: "collatz-longest",
      input:
        "Among the starting values 1 to 100,000, which one has the longest Collatz sequence (number of steps to reach 1)? Give the starting value.",
      target: String(longestCollatz(100_000)),
      tags: ["computation"],
    },
    {
      id: "csv-top-region",
      input:
        "The attached shipments.csv lists shipments (region, month, units, unit_price). Which region has the highest total revenue (units × unit_price)? Give the region name.",
      target: topRegion,
      tags: ["data-analysis"],
      files: ["shipments.csv"],
    },
    {
      id: "csv-march-units",
      input: "In the attached shipments.csv, how many units were shipped in total in month 2026-03, across all regions?",
      target: String(marchUnits),
      tags: ["data-analysis"],
      files: ["shipments.csv"],
    },
    {
      id: "page-kestrel",
      input: "According to the attached page station-census.html, what is the population of Kestrel Outpost?",
      target: String(kestrel),
      tags: ["reading"],
      files: ["station-census.html"],
    },
    {
      id: "image-width",
      input: "How many pixels wide is the attached image banner.png?",
      target: "317",
      tags: ["image"],
      files: ["banner.png"],
    },
    {
      id: "compaction-survival",
      input: survivalInput,
      target: `${launchCode}, ${vaultCity}`,
      tags: ["long-context"],
      files: pages,
    },
  ];
  const path = join(directory, "builtin.jsonl");
  await writeFile(path, `${JSON.stringify({ canary: builtinCanary })}\n${items.map((item) => JSON.stringify(item)).join("\n")}\n`);
  return path;
}

function sumOfPrimes(count: number): number {
  const primes: number[] = [];
  for (let candidate = 2; primes.length < count; candidate++)
    if (primes.every((prime) => prime * prime > candidate || candidate % prime !== 0)) primes.push(candidate);
  return primes.reduce((sum, prime) => sum + prime, 0);
}

function sevenOrEleven(limit: number): number {
  return Math.floor(limit / 7) + Math.floor(limit / 11) - 2 * Math.floor(limit / 77);
}

function powerMod(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let power = base % modulus;
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = (result * power) % modulus;
    power = (power * power) % modulus;
  }
  return result;
}

function longestCollatz(limit: number): number {
  let best = 1;
  let bestSteps = 0;
  for (let start = 1; start <= limit; start++) {
    let steps = 0;
    for (let value = start; value !== 1; steps++) value = value % 2 === 0 ? value / 2 : 3 * value + 1;
    if (steps > bestSteps) [best, bestSteps] = [start, steps];
  }
  return best;
}
