import type { Item } from "../core/items.js";
import type { RunRecord, StepUsage } from "../core/run.js";
import type { OwnerFence, RunFilter, RunPatch, RunStore, RunToAdvance, StoredItem } from "./run-store.js";

/**
 * A store as one tenant's runs see it: every run created through it belongs to the
 * tenant. Lets the library's startRun create tenant-owned runs without knowing about tenants.
 */
export class TenantRunStore implements RunStore {
  constructor(
    private readonly store: RunStore,
    private readonly tenant: string | undefined,
  ) {}

  get writesInCallOrder(): boolean | undefined {
    return this.store.writesInCallOrder;
  }
  createRun(record: RunRecord): Promise<void> {
    return this.store.createRun(this.owned(record));
  }
  getRun(id: string): Promise<RunRecord | undefined> {
    return this.store.getRun(id);
  }
  listRuns(filter?: RunFilter): Promise<RunRecord[]> {
    return this.store.listRuns(filter);
  }
  updateRun(id: string, patch: RunPatch): Promise<RunRecord> {
    return this.store.updateRun(id, patch);
  }
  saveRun(record: RunRecord, fence?: OwnerFence): Promise<void> {
    return this.store.saveRun(this.owned(record), fence);
  }
  appendItems(
    runId: string,
    step: number,
    items: Item[],
    record?: RunRecord,
    stepUsage?: StepUsage,
    fence?: OwnerFence,
  ): Promise<StoredItem[]> {
    return this.store.appendItems(runId, step, items, record && this.owned(record), stepUsage, fence);
  }
  listSteps(runId: string): Promise<StepUsage[]> {
    return this.store.listSteps(runId);
  }
  listItems(runId: string, afterSeq?: number): Promise<StoredItem[]> {
    return this.store.listItems(runId, afterSeq);
  }
  readRunToAdvance(id: string): Promise<RunToAdvance | undefined> {
    return this.store.readRunToAdvance(id);
  }
  deleteRun(runId: string): Promise<boolean> {
    return this.store.deleteRun(runId);
  }
  /** The record as this tenant's: also a record the loop holds from before it was stored here. */
  private owned(record: RunRecord): RunRecord {
    return this.tenant === undefined || record.tenant === this.tenant ? record : { ...record, tenant: this.tenant };
  }
  /** The server owns the real store and closes it at shutdown. */
  async close(): Promise<void> {}
}
