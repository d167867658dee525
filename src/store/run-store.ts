import type { Item } from "../core/items.js";
import type { RunRecord, RunStatus, StepUsage } from "../core/run.js";

/** An item as stored: its place in the run's log and the step that produced it. */
export type StoredItem = { seq: number; step: number; createdAt: string; item: Item };

/** `tenant` keeps a shared server's tenants apart: only that tenant's runs are listed. */
/** `topLevel` keeps only runs without a parent (a strategy's children are left out). */
/** `conversationId` keeps a conversation's follow-up turns (its first turn is the run with that id). */
/** `after` (a run's id) starts the list after that run: the next page of an earlier list. */
export type RunFilter = {
  status?: RunStatus;
  parentId?: string;
  topLevel?: boolean;
  tenant?: string;
  conversationId?: string;
  after?: string;
  limit?: number;
};

/**
 * A checkpoint's condition: the stored record's `owner.token` must be `expectedToken` (undefined:
 * no token), else the write is refused with RunTakenOverError. The loop's first write of a
 * session expects the token it read when it started, later ones its own: of two processes that
 * both took the run, or one that stalled past its lease, only one keeps writing.
 */
export type OwnerFence = { expectedToken: string | undefined };

/** A steer or cancel request to a run as the store keeps it (the queue layer's controls give it meaning). */
export type StoredControl = { kind: string; text: string | null };

/**
 * A run as a process about to advance it reads it, in one round trip: the record, the items, and
 * the open control requests it took for the run (oldest first). They are taken only when the run's
 * status lets it be advanced whoever last owned it (not running, completed or cancelled): a running
 * run's owner may be alive and polling for them.
 */
export type RunToAdvance = { record: RunRecord; items: StoredItem[]; controls: StoredControl[] };

/** Statuses whose run is advanced without asking who owned it: its control requests may be taken as it is read. */
export function takesControlsOnRead(status: RunStatus): boolean {
  return status !== "running" && status !== "completed" && status !== "cancelled";
}

/** Fields of a run that change as it advances. */
export type RunPatch = Partial<Omit<RunRecord, "id" | "schemaVersion" | "createdAt" | "spec">>;

/**
 * Durable runs: a record per run and an append-only log of its items. `appendItems` is the
 * checkpoint: the items and the run's new record (usage, status) are written in one
 * transaction, so after a crash the log and the ledger agree.
 */
export interface RunStore {
  /**
   * True when writes are applied in the order they are made, even when the caller does not wait
   * for one before making the next (one queue, as in SQLite). A new run's first checkpoint is
   * then sent with its creation and commits with it, instead of after it.
   */
  readonly writesInCallOrder?: boolean;
  createRun(record: RunRecord): Promise<void>;
  getRun(id: string): Promise<RunRecord | undefined>;
  /** Newest first; costs O(limit), whatever the number of runs stored. */
  listRuns(filter?: RunFilter): Promise<RunRecord[]>;
  updateRun(id: string, patch: RunPatch): Promise<RunRecord>;
  /** Replaces a run's record with one the caller holds (the loop keeps the current record in memory). */
  saveRun(record: RunRecord, fence?: OwnerFence): Promise<void>;
  /**
   * Appends items and, when given, replaces the run's record and records a model turn's usage,
   * all in one transaction.
   */
  appendItems(
    runId: string,
    step: number,
    items: Item[],
    record?: RunRecord,
    stepUsage?: StepUsage,
    fence?: OwnerFence,
  ): Promise<StoredItem[]>;
  /** Per-step usage of a run's model turns, in order. */
  listSteps(runId: string): Promise<StepUsage[]>;
  /** The run's items in order; with `afterSeq`, only those after it (a follower reading what is new). */
  listItems(runId: string, afterSeq?: number): Promise<StoredItem[]>;
  /** The run, its items and its control requests for a process about to advance it (see RunToAdvance). */
  readRunToAdvance(id: string): Promise<RunToAdvance | undefined>;
  /** Removes a run with its items, steps' usage and control requests; false when no such run is stored. */
  deleteRun(runId: string): Promise<boolean>;
  close(): Promise<void>;
}
