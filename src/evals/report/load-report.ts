// Reads a past eval back: its manifest, saved samples, dataset items and the trajectories of
// its runs from the store, with the summary recomputed from the samples.
import { existsSync } from "node:fs";
import type { Item } from "../../core/items.js";
import type { RunStore } from "../../store/run-store.js";
import { loadDataset, type DatasetItem } from "../dataset.js";
import { readManifest, readSamples } from "../eval-files.js";
import { summarise } from "../metrics/summary.js";
import type { ReportInput } from "./html-report.js";

/** Trajectories kept in one report: enough to read every failure of a typical eval, while the file stays openable. */
const defaultMaxTrajectories = 400;

export async function loadReport(
  home: string,
  evalId: string,
  store: RunStore,
  options: { maxTrajectories?: number } = {},
): Promise<ReportInput> {
  const manifest = await readManifest(home, evalId);
  const samples = await readSamples(home, evalId);
  // The dataset may have moved since; the samples still name their items.
  const items: DatasetItem[] = existsSync(manifest.datasetPath)
    ? (await loadDataset(manifest.datasetPath)).items
    : [...new Set(samples.map((sample) => sample.itemId))].map((id) => ({ id, input: id, files: [], images: [], tags: [], metadata: {} }));
  const trajectories = new Map<string, Item[]>();
  // Failures and errors first: they are what a reader drills into.
  const ordered = [...samples].sort((a, b) => Number(a.outcome.status === "pass") - Number(b.outcome.status === "pass"));
  for (const sample of ordered.slice(0, options.maxTrajectories ?? defaultMaxTrajectories)) {
    if (sample.runId)
      trajectories.set(
        sample.runId,
        (await store.listItems(sample.runId)).map((stored) => stored.item),
      );
  }
  return { manifest, items, samples, summary: summarise(samples, items, manifest.configs), trajectories };
}
