import { hostname } from "node:os";
import type { Usage } from "../core/budget.js";
import type { RunEvent } from "../core/events.js";
import { newId } from "../core/ids.js";
import type { Item } from "../core/items.js";
import type { RunRecord, StepUsage } from "../core/run.js";
import type { RunPatch, RunStore } from "../store/run-store.js";

/** An item before it has an id. */
export type NewItem = Item extends infer Each ? (Each extends Item ? Omit<Each, "id"> : never) : never;

const idPrefixes: Record<Item["type"], string> = {
  message: "msg",
  reasoning: "rs",
  function_call: "fc",
  function_call_output: "fco",
  approval_request: "apr",
  approval_response: "aps",
  artifact: "art",
  source: "src",
  note: "note",
};

/**
 * The run as the loop sees it: its record, its items in memory, and a write-through to the
 * store. Every append is a checkpoint (items and usage in one transaction) and is announced as
 * `item-added` events after it is durable.
 */
export class RunJournal {
  constructor(
    public record: RunRecord,
    readonly items: Item[],
    private readonly store: RunStore,
    private readonly emit: (event: RunEvent) => void,
    private readonly leaseMs?: number,
  ) {}

  get runId(): string {
    return this.record.id;
  }

  get usage(): Usage {
    return this.record.usage;
  }

  async append(newItems: NewItem[], patch: RunPatch = {}, stepUsage?: StepUsage): Promise<Item[]> {
    const items = newItems.map((item) => ({ ...item, id: newId(idPrefixes[item.type]) }) as Item);
    const record: RunRecord = { ...this.record, ...patch, owner: ownerNow(this.leaseMs), updatedAt: new Date().toISOString() };
    await this.store.appendItems(this.runId, record.usage.steps, items, record, stepUsage);
    this.record = record;
    this.items.push(...items);
    for (const item of items) this.emit({ type: "item-added", runId: this.runId, item });
    if (patch.usage) this.emit({ type: "usage-updated", runId: this.runId, usage: patch.usage });
    return items;
  }

  async update(patch: RunPatch): Promise<void> {
    await this.save(patch);
    if (patch.status) this.emit({ type: "status-changed", runId: this.runId, status: patch.status });
  }

  /** Proves the owning process is alive, for runs that spend minutes inside one tool call. */
  async heartbeat(): Promise<void> {
    await this.save({});
  }

  private async save(patch: RunPatch): Promise<void> {
    const record: RunRecord = { ...this.record, ...patch, owner: ownerNow(this.leaseMs), updatedAt: new Date().toISOString() };
    await this.store.saveRun(record);
    this.record = record;
  }
}

const host = hostname();

export function ownerNow(leaseMs?: number): NonNullable<RunRecord["owner"]> {
  return { pid: process.pid, host, heartbeatAt: new Date().toISOString(), ...(leaseMs === undefined ? {} : { leaseMs }) };
}
