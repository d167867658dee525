// What an export reads: runs from the store with their items and per-step usage, and, when the
// runs belong to an eval, each run's sample (outcome, reward) — including the runs given up on
// for infrastructure reasons, which are exported too but masked.
import type { RunRecord, StepUsage } from "../../core/run.js";
import { RunNotFoundError } from "../../core/errors.js";
import type { RunStore, StoredItem } from "../../store/run-store.js";
import { readManifest, readSamples } from "../eval-files.js";
import type { SampleRecord } from "../outcome.js";

export type Trajectory = {
  record: RunRecord;
  items: StoredItem[];
  steps: StepUsage[];
  /** The eval sample this run answered (or was retried for), when it came from an eval. */
  sample?: SampleRecord;
  /** True for a run that failed for infrastructure reasons and was replaced by a fresh one. */
  replaced: boolean;
  evalId?: string;
};

/** Each id is a run id or an eval id; an eval expands to every sample's runs. */
export async function loadTrajectories(ids: readonly string[], store: RunStore, home: string): Promise<Trajectory[]> {
  const trajectories: Trajectory[] = [];
  for (const id of ids) {
    const manifest = await readManifest(home, id).catch(() => undefined); // Not an eval's id: a run's.
    if (manifest) {
      for (const sample of await readSamples(home, id)) {
        for (const runId of sample.retriedRunIds.filter(Boolean))
          trajectories.push(...(await loadRun(store, runId, { sample, replaced: true, evalId: id })));
        if (sample.runId) trajectories.push(...(await loadRun(store, sample.runId, { sample, replaced: false, evalId: id })));
      }
      continue;
    }
    trajectories.push(...(await loadRun(store, id, { replaced: false })));
  }
  return trajectories;
}

/** A strategy run (best-of-N) did no model work itself: its children are the trajectories. */
async function loadRun(store: RunStore, runId: string, context: Omit<Trajectory, "record" | "items" | "steps">): Promise<Trajectory[]> {
  const record = await store.getRun(runId);
  if (!record) throw new RunNotFoundError(runId);
  if (record.spec.strategy) {
    const children = await store.listRuns({ parentId: runId });
    return (await Promise.all(children.reverse().map((child) => loadRun(store, child.id, context)))).flat();
  }
  return [{ record, items: await store.listItems(runId), steps: await store.listSteps(runId), ...context }];
}
