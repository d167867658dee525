// An eval's results live beside the run database: <home>/evals/<eval id>/eval.json (what was
// asked) and samples.jsonl (one line per finished sample, appended as each finishes, so an
// interrupted eval loses only the samples that were in flight).
import { existsSync } from "node:fs";
import { appendFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../core/errors.js";
import type { EvalConfig } from "./eval-config.js";
import type { SampleRecord } from "./outcome.js";
import { logged, logger } from "../logging/logger.js";

const log = logger("evals");

export type EvalManifest = {
  id: string;
  createdAt: string;
  datasetPath: string;
  datasetHash: string;
  configs: EvalConfig[];
  epochs: number;
  scorer: string;
  maxInfraRetries: number;
  /** Same dataset, grid and scorer: what `--resume` matches on. */
  fingerprint: string;
  finishedAt?: string;
};

export function evalsDirectory(home: string): string {
  return join(home, "evals");
}

export function evalDirectory(home: string, evalId: string): string {
  return join(evalsDirectory(home), evalId);
}

export async function writeManifest(home: string, manifest: EvalManifest): Promise<void> {
  await mkdir(evalDirectory(home, manifest.id), { recursive: true });
  await writeFile(join(evalDirectory(home, manifest.id), "eval.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}

export async function readManifest(home: string, evalId: string): Promise<EvalManifest> {
  const path = join(evalDirectory(home, evalId), "eval.json");
  if (!existsSync(path)) throw new ConfigError(`No eval ${evalId} in ${evalsDirectory(home)}.`, "List past evals with `ponder eval list`.");
  return JSON.parse(await readFile(path, "utf8")) as EvalManifest;
}

export async function appendSample(home: string, evalId: string, sample: SampleRecord): Promise<void> {
  await appendFile(join(evalDirectory(home, evalId), "samples.jsonl"), `${JSON.stringify(sample)}\n`);
}

/** The saved samples; a line cut short by a crash is skipped, and the last record of a key wins. */
export async function readSamples(home: string, evalId: string): Promise<SampleRecord[]> {
  const path = join(evalDirectory(home, evalId), "samples.jsonl");
  if (!existsSync(path)) return [];
  const byKey = new Map<string, SampleRecord>();
  for (const line of (await readFile(path, "utf8")).split("\n")) {
    if (!line.trim()) continue;
    try {
      const sample = JSON.parse(line) as SampleRecord;
      byKey.set(sample.key, sample);
    } catch {
      continue;
    }
  }
  return [...byKey.values()];
}

/** Past evals, newest first. */
export async function listManifests(home: string): Promise<EvalManifest[]> {
  if (!existsSync(evalsDirectory(home))) return [];
  const names = await readdir(evalsDirectory(home));
  const manifests = await Promise.all(
    names.map((name) =>
      readManifest(home, name).catch(logged(log, "warn", "an eval's manifest could not be read; the eval is not listed")),
    ),
  );
  return manifests
    .filter((manifest): manifest is EvalManifest => manifest !== undefined)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
